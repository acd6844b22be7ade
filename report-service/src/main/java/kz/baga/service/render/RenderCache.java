package kz.baga.service.render;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rendered answers (chart PNG/SVG, PDFs, the JSON of pupils' grades and analytics, medal candidates and district
 * indicators) by snapshot id, what they show and every parameter that changes their bytes (resolved year, term,
 * subject, size, language). A snapshot is immutable, so
 * an entry is valid as long as its snapshot is served; a new snapshot id simply misses, and the entries of older
 * snapshots are dropped once a request of the new current snapshot comes by (and are bounded meanwhile).
 *
 * <p>Only bytes live here: callers check access and write their audit record <em>before</em> asking this cache,
 * so a hit never skips either. Concurrent requests for the same missing key wait for one render instead of
 * rendering it each. Bounded by {@code baga.render-cache.max-bytes} (0 turns caching off). Metrics:
 * {@code baga_rendered_renders_total{kind}} (misses), {@code baga_rendered_hits_total{kind}} and Caffeine's
 * {@code cache_size{cache="baga.rendered"}}, {@code cache_evictions_total}.
 */
@ApplicationScoped
public class RenderCache {

    @ConfigProperty(name = "baga.render-cache.max-bytes", defaultValue = "128M")
    MemorySize maxBytes;

    @ConfigProperty(name = "baga.render-cache.expire-after-access", defaultValue = "6h")
    Duration expireAfterAccess;

    @Inject
    MeterRegistry registry;

    @Inject
    SnapshotRegistry snapshots;

    /** A cached value that is not plain bytes says how many bytes it holds (for the bound). */
    public interface Sized {
        long bytes();
    }

    private AsyncCache<String, Object> cache;
    private volatile String purgedFor;
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        long max = maxBytes.asLongValue();
        if (max <= 0) {
            return;
        }
        cache = Caffeine.newBuilder()
                .maximumWeight(max)
                .weigher((String k, Object v) -> (int) Math.min(Integer.MAX_VALUE, k.length() + 64
                        + (v instanceof byte[] b ? b.length : v instanceof Sized z ? z.bytes() : 1024)))
                .expireAfterAccess(expireAfterAccess)
                .recordStats()
                .buildAsync();
        CaffeineCacheMetrics.monitor(registry, cache, "baga.rendered");
    }

    /**
     * The answer for {@code kind} of {@code snapshot} with the given key parts (bytes, or a {@link Sized} value),
     * rendered by {@code render} on a miss (on the calling thread). Exceptions of the render are rethrown as they
     * are and nothing is kept. One kind always caches one type.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Snapshot snapshot, String kind, Supplier<T> render, Object... keyParts) {
        if (cache == null) {
            return render.get();
        }
        purgeOlderSnapshots(snapshot);
        String key = key(snapshot.id(), kind, keyParts);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> existing = cache.asMap().putIfAbsent(key, mine);
        Counter[] count = counters.computeIfAbsent(kind, k -> new Counter[]{
                registry.counter("baga.rendered.renders", "kind", k), registry.counter("baga.rendered.hits", "kind", k)});
        if (existing == null) {
            count[0].increment();
            try {
                T value = render.get();
                mine.complete(value);
                return value;
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e); // Caffeine drops failed futures
                cache.asMap().remove(key, mine);
                throw e;
            }
        }
        count[1].increment();
        try {
            return (T) existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a render", e);
        } catch (ExecutionException e) {
            // the concurrent render failed: render again for this request (its error, if any, is its own)
            return render.get();
        }
    }

    static String key(String snapshotId, String kind, Object... parts) {
        StringBuilder b = new StringBuilder(snapshotId).append('\u0000').append(kind);
        for (Object p : parts) {
            b.append('\u0000').append(p == null ? "\u2400" : p.toString());
        }
        return b.toString();
    }

    /** Once the current snapshot is a new one, entries of every other snapshot are dead weight. */
    private void purgeOlderSnapshots(Snapshot snapshot) {
        String id = snapshot.id();
        if (id.equals(purgedFor) || snapshots.currentOrNull() != snapshot) {
            return;
        }
        synchronized (this) {
            if (id.equals(purgedFor)) {
                return;
            }
            String prefix = id + '\u0000';
            cache.synchronous().asMap().keySet().removeIf(k -> !k.startsWith(prefix));
            purgedFor = id;
        }
    }

    /** Entries held now (tests and metrics). */
    public long size() {
        return cache == null ? 0 : cache.synchronous().estimatedSize();
    }

    /** Drops everything (tests). */
    public void clear() {
        if (cache != null) {
            cache.synchronous().invalidateAll();
        }
    }
}
