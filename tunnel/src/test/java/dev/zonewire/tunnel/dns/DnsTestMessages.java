package dev.zonewire.tunnel.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Queries and responses built with dnsjava for the DNS tests. */
final class DnsTestMessages {

    private DnsTestMessages() {}

    static Message query(String name, int type, int id) {
        Message query = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
        query.getHeader().setID(id);
        return query;
    }

    static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
