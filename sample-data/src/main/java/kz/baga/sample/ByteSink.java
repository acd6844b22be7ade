package kz.baga.sample;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A buffered byte writer with hand-written number formatting: the generator's hot path writes every event
 * through one of these, without Strings, String.format or a charset encoder. Callers pass pre-encoded
 * bytes for text (UTF-8 or windows-1251, whichever the file uses).
 */
final class ByteSink implements AutoCloseable {

    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private long written;

    ByteSink(OutputStream out, int bufferSize) {
        this.out = out;
        this.buf = new byte[bufferSize];
    }

    ByteSink(OutputStream out) {
        this(out, 1 << 16);
    }

    long bytesWritten() {
        return written + pos;
    }

    private void ensure(int n) throws IOException {
        if (pos + n > buf.length) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, pos);
        written += pos;
        pos = 0;
    }

    ByteSink put(byte[] bytes) throws IOException {
        if (bytes.length > buf.length) {
            flushBuffer();
            out.write(bytes);
            written += bytes.length;
            return this;
        }
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    ByteSink put(byte[] bytes, int off, int len) throws IOException {
        if (len > buf.length) {
            flushBuffer();
            out.write(bytes, off, len);
            written += len;
            return this;
        }
        ensure(len);
        System.arraycopy(bytes, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** An ASCII character. */
    ByteSink put(char c) throws IOException {
        ensure(1);
        buf[pos++] = (byte) c;
        return this;
    }

    /** A non-negative int in decimal (negative values get a minus sign). */
    ByteSink putInt(long v) throws IOException {
        ensure(21);
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return this;
        }
        int start = pos;
        while (v > 0) {
            buf[pos++] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        for (int i = start, j = pos - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** Two digits, zero-padded. */
    ByteSink put2(int v) throws IOException {
        ensure(2);
        buf[pos++] = (byte) ('0' + v / 10);
        buf[pos++] = (byte) ('0' + v % 10);
        return this;
    }

    /** {@code HH:mm:ss} for a second of the day. */
    ByteSink putTime(int secondOfDay) throws IOException {
        put2(secondOfDay / 3600).put(':').put2(secondOfDay / 60 % 60).put(':').put2(secondOfDay % 60);
        return this;
    }

    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flushBuffer();
        out.close();
    }
}
