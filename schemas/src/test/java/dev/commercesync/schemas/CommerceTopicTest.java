package dev.commercesync.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommerceTopicTest {

    @Test
    void everyEntityTypeHasItsCanonicalTopic() {
        for (EntityType type : EntityType.values()) {
            CommerceTopic topic = CommerceTopic.forEntityType(type);
            assertEquals(type, topic.entityType().orElseThrow());
            assertTrue(topic.topicName().startsWith("commerce."), topic.topicName());
        }
    }

    @Test
    void valueSchemaIsTheGeneratedClassSchema() {
        for (CommerceTopic topic : CommerceTopic.values()) {
            assertEquals(topic.valueType().getName(), topic.valueSchema().getFullName());
            assertEquals(topic.topicName() + "-value", topic.valueSubject());
        }
    }

    @Test
    void theReadmeCatalogueListsEveryTopicWithItsRecordType() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("schemas.current.dir", "src/main/avro"))
                .resolve("../../../README.md")
                .normalize());
        for (CommerceTopic topic : CommerceTopic.values()) {
            String row = "| `" + topic.topicName() + "` | `" + topic.valueType().getSimpleName() + "` |";
            assertTrue(readme.contains(row), "README.md catalogue lacks the row starting " + row);
        }
    }
}
