package dev.commercesync.opstate;

/** The answer to "retrying, or waiting for a person?" for one store × entity type × operation. */
public enum OperationState {
    /** The last attempt succeeded. */
    OK,
    /** The last attempt failed and it is tried again without anyone acting. */
    RETRYING,
    /** The last attempt failed in a way only a person can fix (credentials, configuration, a refused request). */
    WAITING_FOR_PERSON
}
