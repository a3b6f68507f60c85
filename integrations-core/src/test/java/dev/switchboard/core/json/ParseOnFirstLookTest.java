package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link Json#parseOnFirstLook}: an object from it answers every method exactly as the object {@link Json#parse}
 * gives for the same bytes, and parses nothing until a method needs its members.
 */
class ParseOnFirstLookTest {

    @Test
    void anObjectParsedOnFirstLookAnswersEveryMethodAsTheParsedObjectDoes() {
        Random random = new Random(20261205);
        int objects = 0;
        for (int n = 0; n < 600; n++) {
            JsonValue document = randomValue(random, 0);
            byte[] utf8 = Json.writeUtf8(document);
            JsonValue eager = Json.parse(utf8);
            // A fresh deferred value for each question, so each method is the first look.
            for (Question q : Question.values()) {
                JsonValue deferred = Json.parseOnFirstLook(utf8.clone());
                assertThat(deferred.type()).isEqualTo(eager.type());
                if (eager instanceof JsonObject object) {
                    assertThat(q.ask((JsonObject) deferred))
                            .as("%s of %s", q, document)
                            .isEqualTo(q.ask(object));
                } else {
                    assertThat(deferred).isEqualTo(eager);
                }
            }
            objects += eager instanceof JsonObject ? 1 : 0;
        }
        assertThat(objects).as("documents that were objects").isGreaterThan(100);
    }

    @Test
    void nothingIsParsedUntilAMemberIsNeeded() {
        // Not JSON: a first look that parsed would throw, so type() and passing the value along do not parse.
        JsonValue deferred = Json.parseOnFirstLook("{\"a\": 1, oops".getBytes(StandardCharsets.UTF_8));
        assertThat(deferred.type()).isEqualTo(JsonValue.Type.OBJECT);
        assertThat(deferred).isInstanceOf(JsonObject.class);
        JsonObject record = JsonObject.builder().put("attrs", deferred).build();
        assertThat(record.get("attrs")).isSameAs(deferred);

        assertThatThrownBy(() -> ((JsonObject) deferred).get("a")).isInstanceOf(JsonFormatException.class);
    }

    @Test
    void otherValuesAndLeadingWhitespaceAreParsedAtOnce() {
        assertThat(Json.parseOnFirstLook(" \n[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Json.parse("[1,2]"));
        assertThat(Json.parseOnFirstLook("12.50".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new JsonNumber(new BigDecimal("12.50")));
        assertThatThrownBy(() -> Json.parseOnFirstLook("[1,".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonFormatException.class);
        JsonValue spaced = Json.parseOnFirstLook("\t {\"k\": [true, null]} ".getBytes(StandardCharsets.UTF_8));
        assertThat(spaced).isEqualTo(Json.parse("{\"k\":[true,null]}"));
    }

    @Test
    void threadsLookingFirstAtTheSameTimeAllSeeTheWholeObject() throws Exception {
        Random random = new Random(7);
        JsonObject.Builder b = JsonObject.builder();
        for (int i = 0; i < 40; i++) {
            b.put("f" + i, randomValue(random, 1));
        }
        JsonObject expected = b.build();
        byte[] utf8 = Json.writeUtf8(expected);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                JsonObject shared = (JsonObject) Json.parseOnFirstLook(utf8);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> looks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int field = t;
                    looks.add(pool.submit(() -> {
                        start.await();
                        return shared.size() == 40
                                && expected.get("f" + field).equals(shared.get("f" + field))
                                && shared.equals(expected);
                    }));
                }
                start.countDown();
                for (Future<Boolean> look : looks) {
                    assertThat(look.get()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every method of a JsonObject, asked as a first look; the answers of the two objects must be equal. */
    private enum Question {
        GET {
            @Override
            Object ask(JsonObject o) {
                List<Object> answers = new ArrayList<>();
                for (String name : List.of("k1", "k7", "k59", "absent")) {
                    answers.add(String.valueOf(o.get(name)));
                }
                return answers;
            }
        },
        HAS {
            @Override
            Object ask(JsonObject o) {
                return List.of(o.has("k3"), o.has("k40"), o.has("nope"));
            }
        },
        TYPED {
            @Override
            Object ask(JsonObject o) {
                List<Object> answers = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    String k = "k" + i;
                    answers.add(String.valueOf(o.string(k)) + o.number(k) + o.bool(k) + o.object(k) + o.array(k));
                }
                return answers;
            }
        },
        NAMES {
            @Override
            Object ask(JsonObject o) {
                return List.copyOf(o.names());
            }
        },
        FIELDS {
            @Override
            Object ask(JsonObject o) {
                Map<String, JsonValue> fields = o.fields();
                List<Object> answers = new ArrayList<>();
                fields.forEach((k, v) -> answers.add(k + "=" + v));
                answers.add(fields.size());
                answers.add(fields.containsKey("k5"));
                answers.add(String.valueOf(fields.get("k5")));
                answers.add(List.copyOf(fields.entrySet()));
                return answers;
            }
        },
        SIZE {
            @Override
            Object ask(JsonObject o) {
                return List.of(o.size(), o.isEmpty());
            }
        },
        POSITIONS {
            @Override
            Object ask(JsonObject o) {
                List<Object> answers = new ArrayList<>();
                for (int i = 0; i < o.size(); i++) {
                    answers.add(o.nameAt(i) + "=" + o.valueAt(i));
                }
                return answers;
            }
        },
        WITHOUT {
            @Override
            Object ask(JsonObject o) {
                String name = o.isEmpty() ? "none" : o.nameAt(0);
                return List.of(o.without(name).toJson(), o.without("absent").toJson());
            }
        },
        NEW_BUILDER {
            @Override
            Object ask(JsonObject o) {
                return o.newBuilder().put("added", 1).build().toJson();
            }
        },
        EQUALS_AND_HASH {
            @Override
            Object ask(JsonObject o) {
                // Compared with an eagerly parsed copy both ways, and with a second deferred copy.
                JsonObject eager = Json.parseObject(Json.writeUtf8(o));
                JsonObject other = (JsonObject) Json.parseOnFirstLook(Json.writeUtf8(eager));
                return List.of(o.hashCode(), o.equals(eager), eager.equals(o), other.equals(o), o.equals(other));
            }
        },
        WRITTEN {
            @Override
            Object ask(JsonObject o) {
                return List.of(o.toString(), o.toJson(), new String(Json.writeUtf8(o), StandardCharsets.UTF_8));
            }
        },
        CANONICAL {
            @Override
            Object ask(JsonObject o) {
                return List.of(Json.canonicalize(o), Json.canonicalDigest(o));
            }
        },
        INSIDE_ANOTHER {
            @Override
            Object ask(JsonObject o) {
                JsonObject outer =
                        JsonObject.builder().put("inner", o).put("n", 1).build();
                return List.of(Json.canonicalDigest(outer), outer.toJson(), outer.hashCode());
            }
        };

        abstract Object ask(JsonObject o);
    }

    private static JsonValue randomValue(Random random, int depth) {
        int kind = depth == 0 ? random.nextInt(3) : depth > 3 ? 2 + random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0: {
                // Up to 40 fields: past the scan limit, where lookups go through the hash index.
                JsonObject.Builder b = JsonObject.builder();
                int fields = random.nextInt(41);
                for (int f = 0; f < fields; f++) {
                    b.put("k" + random.nextInt(60), randomValue(random, depth + 1));
                }
                return b.build();
            }
            case 1: {
                List<JsonValue> elements = new ArrayList<>();
                int n = random.nextInt(5);
                for (int e = 0; e < n; e++) {
                    elements.add(randomValue(random, depth + 1));
                }
                return JsonArray.of(elements);
            }
            case 2:
                return new JsonString(random.nextBoolean() ? "s" + random.nextInt(1000) : "\u00e9\u4e2d\"\\\n");
            case 3:
                return JsonNumber.of(random.nextLong() >> random.nextInt(64));
            case 4:
                return new JsonNumber(new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(5)));
            default:
                return random.nextBoolean() ? JsonBoolean.of(random.nextBoolean()) : JsonNull.INSTANCE;
        }
    }
}
