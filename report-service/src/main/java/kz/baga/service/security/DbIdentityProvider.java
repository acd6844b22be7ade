package kz.baga.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * HTTP Basic credentials checked against bcrypt hashes in PostgreSQL. A successful check is remembered for a
 * minute (keyed by a SHA-256 of the password, never the password) so bcrypt's deliberate slowness is paid once
 * per client per minute rather than on every request.
 */
@ApplicationScoped
public class DbIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    public static final String ACCOUNT_ATTRIBUTE = "baga.account";

    @Inject
    Accounts accounts;

    private final Cache<String, Account> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(60))
            .build();

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String username = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        String key = username + '\u0000' + sha256(password);
        Account cached = verified.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(identity(cached));
        }
        return context.runBlocking(() -> {
            Optional<Accounts.Credentials> found = accounts.find(username);
            if (found.isEmpty() || !BcryptUtil.matches(password, found.get().passwordHash())) {
                throw new AuthenticationFailedException("bad credentials");
            }
            Account a = found.get().account();
            verified.put(key, a);
            return identity(a);
        });
    }

    private static SecurityIdentity identity(Account a) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(a.username()))
                .addRole(a.role())
                .addAttribute(ACCOUNT_ATTRIBUTE, a)
                .build();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
