package kz.baga.service.security;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The identity of a signed-in page session: the form's encrypted cookie names the account, whose row is read
 * again at most every {@code baga.auth.recheck-after}, so a deleted or changed account loses its sessions within
 * that time (at once when changed through Baga).
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    @Inject
    Accounts accounts;

    @ConfigProperty(name = "baga.auth.recheck-after", defaultValue = "60s")
    Duration recheckAfter;

    private Cache<String, Account> known;

    @PostConstruct
    void init() {
        known = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(recheckAfter).build();
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String username = request.getPrincipal();
        Account cached = known.getIfPresent(username);
        if (cached != null) {
            return Uni.createFrom().item(identity(cached));
        }
        return context.runBlocking(() -> {
            Optional<Accounts.Credentials> c = accounts.find(username);
            if (c.isEmpty()) {
                throw new AuthenticationFailedException("the signed-in account no longer exists");
            }
            known.put(username, c.get().account());
            return identity(c.get().account());
        });
    }

    void onAccountChanged(@Observes Accounts.Changed change) {
        known.asMap().values().removeIf(a -> a.id() == change.userId());
    }

    static SecurityIdentity identity(Account a) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(a.username()))
                .addRole(a.role())
                .addAttribute(DbIdentityProvider.ACCOUNT_ATTRIBUTE, a)
                .build();
    }
}
