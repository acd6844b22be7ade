package kz.baga.jobs.ingest;

/** An input the pipeline cannot use at all (missing folder, unreadable reference file, bad manifest). */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
