package fi.palvelurinki.signaling.auth.oidc;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The pages the sign-in answers with itself, in Finnish, Swedish and English at once: the person has not
 * chosen a language here yet, and a sign-in that did not work must be understood whatever the browser says.
 */
final class Html {
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private Html() {}

    /** Signed in at the provider, but the claims give no role here: nothing else is offered. */
    static String noRole() {
        return page("no-role",
                new String[] {"fi", "Sinulla ei ole käyttöoikeutta Palvelurinkiin",
                        "Kirjautuminen onnistui, mutta organisaatiosi käyttäjähakemisto ei anna sinulle roolia "
                                + "Palveluringissä (palveluneuvoja, asiantuntija tai operaattori). Jos tarvitset "
                                + "käyttöoikeuden, pyydä sitä organisaatiosi käyttäjähallinnolta."},
                new String[] {"sv", "Du har ingen behörighet till Palvelurinki",
                        "Inloggningen lyckades, men din organisations användarkatalog ger dig ingen roll i "
                                + "Palvelurinki (servicerådgivare, expert eller operatör). Be din organisations "
                                + "användaradministration om behörighet om du behöver den."},
                new String[] {"en", "You have no access to Palvelurinki",
                        "You signed in, but your organisation's directory gives you no role in Palvelurinki "
                                + "(service advisor, expert or operator). If you need access, ask your "
                                + "organisation's user administration."});
    }

    /** The sign-in did not work (refused token, provider unreachable, an old or foreign callback). */
    static String failed() {
        return page("failed",
                new String[] {"fi", "Kirjautuminen ei onnistunut", "Yritä uudelleen: <a href=\"/\">Palvelurinki</a>."},
                new String[] {"sv", "Inloggningen misslyckades", "Försök igen: <a href=\"/\">Palvelurinki</a>."},
                new String[] {"en", "Sign-in did not work", "Please try again: <a href=\"/\">Palvelurinki</a>."});
    }

    private static String page(String id, String[]... parts) {
        StringBuilder b = new StringBuilder("<!doctype html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Palvelurinki – ")
                .append(parts[0][1]).append("</title>\n<link rel=\"stylesheet\" href=\"/assets/app.css\">\n</head>\n")
                .append("<body>\n<main id=\"").append(id).append("\" class=\"signin-result\">\n");
        for (String[] p : parts) {
            b.append("<section lang=\"").append(p[0]).append("\">\n<h1>").append(p[1]).append("</h1>\n<p>")
                    .append(p[2]).append("</p>\n</section>\n");
        }
        return b.append("</main>\n</body>\n</html>\n").toString();
    }

    static void write(Response response, Callback callback, int status, String html) {
        response.setStatus(status);
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
