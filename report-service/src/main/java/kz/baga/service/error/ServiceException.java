package kz.baga.service.error;

/**
 * A failure the service answers on purpose (a refused or impossible request, a store that is down), not a bug.
 * The layers below the edge throw its subclasses; {@code api.ProblemMapper} turns each kind into its answer, with
 * the message as the answer's detail.
 */
public abstract class ServiceException extends RuntimeException {

    protected ServiceException(String detail) {
        super(detail);
    }
}
