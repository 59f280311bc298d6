package fi.palvelurinki.signaling.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain and its private key from PEM files, as certbot and openssl write them, in an
 * in-memory key store for Jetty. BouncyCastle's PEM parser stays inside this class.
 */
public final class PemKeyStore {
    public static final String ALIAS = "palvelurinki";

    private PemKeyStore() {}

    /** Problems with the files, named so that an operator knows which file and what is wrong. */
    public static final class PemException extends IOException {
        private static final long serialVersionUID = 1L;

        PemException(String message) {
            super(message);
        }
    }

    /** A key store holding the key under {@link #ALIAS}, protected with {@code password}. */
    public static KeyStore load(Path certificate, Path privateKey, char[] password) throws IOException {
        List<X509Certificate> chain = certificates(certificate);
        PrivateKey key = key(privateKey);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new PemException(privateKey + " is a " + key.getAlgorithm() + " key, but the certificate in " + certificate
                    + " is for a " + chain.get(0).getPublicKey().getAlgorithm() + " key");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (GeneralSecurityException e) {
            throw new PemException("cannot use the key of " + privateKey + " with " + certificate + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(converter.getCertificate(h));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PemException(file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new PemException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey key(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    // An EC key in SEC1 form may come without its public half: only the private part is needed.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new PemException(file + ": not a PEM private key (" + e.getMessage() + ")");
        }
        throw new PemException(file + " holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or "
                + "-----BEGIN RSA/EC PRIVATE KEY-----)");
    }
}
