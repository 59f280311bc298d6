package fi.palvelurinki.signaling.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret tokens are signed with: 32 random bytes kept base64-encoded in a file readable by the
 * owner only. {@code serve} creates it in the data directory on first start; {@code token} reads the
 * same file, so that tokens it issues are accepted by the server.
 */
public final class TokenSecret {
    public static final String FILE_NAME = "token.secret";

    private TokenSecret() {}

    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** Reads the secret, creating it first if the file does not exist. */
    public static byte[] loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Not a POSIX file system; the directory's permissions have to do.
        }
        return secret;
    }

    public static byte[] read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("token secret " + file + " is not base64");
        }
        if (secret.length < 32) {
            throw new IOException("token secret " + file + " holds " + secret.length + " bytes; at least 32 are needed");
        }
        return secret;
    }
}
