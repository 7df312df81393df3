package io.embedrec.jobs;

/**
 * A job cannot do its work for a reason its caller can act on (no events to train on, ...): the message becomes the
 * job's {@code error} as it is. Any other failure is reported as an incident, never with its raw message.
 */
public class JobFailedException extends RuntimeException {

    public JobFailedException(String message) {
        super(message);
    }
}
