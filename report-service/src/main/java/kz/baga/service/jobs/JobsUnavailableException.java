package kz.baga.service.jobs;

import kz.baga.service.error.ServiceException;

/** The report_jobs table cannot be read or written. */
public class JobsUnavailableException extends ServiceException {

    public JobsUnavailableException(String detail) {
        super(detail);
    }
}
