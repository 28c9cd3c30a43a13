package io.gridpush.demo;

import io.gridpush.cache.Grid;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.JsonValues;
import io.gridpush.cache.Versioned;
import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a few "live match" entries of the demo cache changing, so the demo page is alive the moment it
 * opens. It writes through the {@link Grid} API like any embedding application. Switched by
 * {@code demo.feeder}. Threads: one daemon scheduler thread.
 */
@Singleton
public final class DemoFeeder extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFeeder.class);
    private static final List<String[]> MATCHES = List.of(
        new String[]{"Lions", "Tigers"}, new String[]{"Eagles", "Sharks"},
        new String[]{"Wolves", "Bears"}, new String[]{"Falcons", "Rhinos"});
    private final Grid grid;
    private final GatewayConfig.Demo demo;
    private ScheduledExecutorService scheduler;

    @Inject
    public DemoFeeder(Grid grid, GatewayConfig config) {
        this.grid = grid;
        this.demo = config.demo();
    }

    public boolean enabled() {
        return demo.feeder();
    }

    @Override
    protected void doStart() {
        GridCache cache = grid.cache(demo.cache());
        for (int i = 0; i < MATCHES.size(); ++i) {
            cache.putIfAbsent(key(i), score(i, 0, 0, 0), -1);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gridpush-demo-feeder");
            thread.setDaemon(true);
            return thread;
        });
        long period = demo.interval().toMillis();
        scheduler.scheduleAtFixedRate(() -> tick(cache), period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        scheduler.shutdownNow();
    }

    private void tick(GridCache cache) {
        try {
            int match = ThreadLocalRandom.current().nextInt(MATCHES.size());
            Versioned current = cache.get(key(match));
            Map<?, ?> value = current == null ? Map.of() : (Map<?, ?>)JsonValues.parse(current.json());
            int minute = number(value.get("minute")) + 1;
            int home = number(value.get("home"));
            int away = number(value.get("away"));
            if (minute > 90) {
                minute = 0;
                home = 0;
                away = 0;
            } else if (ThreadLocalRandom.current().nextInt(4) == 0) {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    ++home;
                } else {
                    ++away;
                }
            }
            cache.put(key(match), score(match, home, away, minute), -1, -1);
        } catch (RuntimeException x) {
            LOG.debug("Demo feeder skipped a tick", x);
        }
    }

    private static String key(int match) {
        return "match-" + (match + 1);
    }

    private static Map<String, Object> score(int match, int home, int away, int minute) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("homeTeam", MATCHES.get(match)[0]);
        value.put("awayTeam", MATCHES.get(match)[1]);
        value.put("home", home);
        value.put("away", away);
        value.put("minute", minute);
        return value;
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }
}
