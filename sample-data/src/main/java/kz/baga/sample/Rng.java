package kz.baga.sample;

/**
 * A small, fully specified pseudo-random generator (SplitMix64). Unlike {@link java.util.Random} it is not
 * synchronised, and unlike {@code SplittableRandom} its algorithm is pinned here, so the same seed gives the
 * same numbers on every JVM: the generator's "same seed, same bytes" promise rests on it.
 */
final class Rng {

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** A generator for an independent stream derived from a seed and a stream number. */
    static Rng derive(long seed, long stream) {
        Rng r = new Rng(seed ^ 0x5DEECE66DL);
        r.state += stream * 0x9E3779B97F4A7C15L;
        r.nextLong();
        return new Rng(r.nextLong() ^ stream);
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [lo, hi], both inclusive. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    /**
     * Approximately standard-normal noise (Irwin–Hall with four uniforms, scaled to unit variance): cheap,
     * bounded to ±3.46, and free of transcendental functions whose last bits could differ between JVMs.
     */
    double noise() {
        double s = nextDouble() + nextDouble() + nextDouble() + nextDouble() - 2.0;
        return s * 1.7320508075688772;
    }

    <T> T pick(T[] items) {
        return items[nextInt(items.length)];
    }
}
