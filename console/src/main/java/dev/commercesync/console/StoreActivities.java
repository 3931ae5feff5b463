package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.StoreActivity;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** What a store page shows of the browsers: its open and not applied commands, its recent reconciliation findings. */
@ApplicationScoped
public class StoreActivities {
    private static final Logger LOG = Logger.getLogger(StoreActivities.class);

    private final CommandJournalReader journal;
    private final FindingService findings;

    public StoreActivities(CommandJournalReader journal, FindingService findings) {
        this.journal = journal;
        this.findings = findings;
    }

    public StoreActivity of(String platform, String store) {
        Integer open = null;
        Integer notApplied = null;
        try {
            CommandJournalReader.Counts counts = journal.counts(platform, store);
            open = counts.open();
            notApplied = counts.notApplied();
        } catch (IllegalStateException e) {
            LOG.warnf("the command journal could not be read: %s", e.getMessage());
        }
        int found = findings.list(
                        new FindingService.Filter(platform, store, null, FindingService.DEFAULT_HOURS),
                        CommandsApi.MAX_LIMIT)
                .findings()
                .size();
        return new StoreActivity(open, notApplied, found, FindingService.DEFAULT_HOURS);
    }
}
