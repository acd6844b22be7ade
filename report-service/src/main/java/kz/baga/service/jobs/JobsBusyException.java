package kz.baga.service.jobs;

import kz.baga.service.error.ServiceException;

/** The job queue is full: the client should try again after {@link #retryAfterSeconds()}. */
public class JobsBusyException extends ServiceException {

    private final int retryAfterSeconds;

    public JobsBusyException(int queued, int retryAfterSeconds) {
        super("the report queue is full (" + queued + " waiting); try again later");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
