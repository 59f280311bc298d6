package fi.palvelurinki.broker.ring;

import fi.palvelurinki.broker.BrokerException;
import java.util.Locale;

/** Service languages of the Asiointipiste brand: Finnish, Swedish, Northern Sámi, English. */
public enum Language {
    FI, SV, SE, EN;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Language parse(String code) {
        if (code != null) {
            for (Language l : values()) {
                if (l.code().equalsIgnoreCase(code)) {
                    return l;
                }
            }
        }
        throw BrokerException.invalid("unknown language '" + code + "', expected one of fi, sv, se, en");
    }
}
