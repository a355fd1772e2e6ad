package dev.wheelwright.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/**
 * The one JSON configuration of Wheelwright: Jackson's defaults (compact output, fields in declaration order of a
 * record) plus the JDK 8 module, so a record component of type {@code Optional} is written as its value or
 * {@code null}. The composition root makes one mapper and hands it to everything that reads or writes JSON, the
 * HTTP server's Javalin mapper included. Config files are YAML and have their own mapper ({@code ConfigLoader}).
 */
public final class Json {
    private Json() {}

    /** A new mapper in the shared configuration. The mapper is thread-safe once configured; do not reconfigure it. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder().addModule(new Jdk8Module()).build();
    }
}
