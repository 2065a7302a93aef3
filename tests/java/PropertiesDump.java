// Oracle for the reader's differential test: prints what `java.util.Properties.load(InputStream)` makes of
// each file, in a lossless pure-ASCII form that the Rust side reproduces byte for byte.
//
// Usage: java PropertiesDump [--list LISTFILE] [--pack PACKFILE] [PATH...]
//   --list: a file of paths, one per line (UTF-8); each file is read through a BufferedInputStream over a
//           FileInputStream.
//   --pack: many small inputs in one file, each a 4-byte big-endian length then that many bytes, read from a
//           ByteArrayInputStream (same `load` code path, without creating thousands of files).
// Inputs are numbered in the order given: --list and PATH entries first, then the pack's records.
//
// Output, per file, in input order (a line without a tab is never an entry line):
//   FILE <index> <path>
//   ERROR <exception class>: <message>     (when load throws), or, for each entry sorted by key (String
//   <key>\t<value>                           natural order, i.e. by UTF-16 code units), one line
//   END <number of entries>
// In keys and values every UTF-16 code unit outside 0x20..0x7E, and the backslash, is written as a backslash,
// 'u' and four uppercase hex digits, so the output is ASCII and lossless (lone surrogates included).

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

public final class PropertiesDump {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PropertiesDump() {}

    public static void main(String[] args) throws IOException {
        List<String> paths = new ArrayList<>();
        List<String> packs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--list") && i + 1 < args.length) {
                for (String line : Files.readAllLines(Paths.get(args[++i]), StandardCharsets.UTF_8)) {
                    if (!line.isEmpty()) {
                        paths.add(line);
                    }
                }
            } else if (args[i].equals("--pack") && i + 1 < args.length) {
                packs.add(args[++i]);
            } else {
                paths.add(args[i]);
            }
        }
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16);
        StringBuilder sb = new StringBuilder();
        int index = 0;
        for (String path : paths) {
            InputStream in = null;
            try {
                in = new BufferedInputStream(new FileInputStream(path));
            } catch (IOException e) {
                // Reported as a failed load; the caller treats anything but the documented one as a broken harness.
            }
            dump(index++, path, in, sb);
            if (in != null) {
                in.close();
            }
            out.write(sb.toString());
        }
        for (String pack : packs) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(pack)))) {
                for (int record = 0; ; record++) {
                    int length;
                    try {
                        length = in.readInt();
                    } catch (EOFException end) {
                        break;
                    }
                    byte[] bytes = new byte[length];
                    in.readFully(bytes);
                    dump(index++, pack + "#" + record, new ByteArrayInputStream(bytes), sb);
                    out.write(sb.toString());
                }
            }
        }
        out.flush();
    }

    /** Loads one input into a fresh Properties and writes its block into sb (cleared first). */
    private static void dump(int index, String name, InputStream in, StringBuilder sb) {
        sb.setLength(0);
        sb.append("FILE ").append(index).append(' ');
        escape(name, sb);
        sb.append('\n');
        Properties props = new Properties();
        Throwable error = null;
        try {
            if (in == null) {
                throw new IOException("cannot open " + name);
            }
            props.load(in);
        } catch (IOException | RuntimeException e) {
            error = e;
        }
        if (error != null) {
            sb.append("ERROR ").append(error.getClass().getName()).append(": ");
            String message = String.valueOf(error.getMessage());
            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                sb.append(c >= 0x20 && c <= 0x7E ? c : '?');
            }
            sb.append('\n').append("END 0\n");
            return;
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<Object, Object> e : props.entrySet()) {
            sorted.put((String) e.getKey(), (String) e.getValue());
        }
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            escape(e.getKey(), sb);
            sb.append('\t');
            escape(e.getValue(), sb);
            sb.append('\n');
        }
        sb.append("END ").append(sorted.size()).append('\n');
    }

    private static void escape(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c <= 0x7E && c != '\\') {
                sb.append(c);
            } else {
                sb.append("\\u")
                        .append(HEX[(c >> 12) & 0xF])
                        .append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
    }
}
