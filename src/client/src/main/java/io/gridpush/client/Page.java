package io.gridpush.client;

import java.util.List;

/** One page of {@code entries}; pass {@code next} as {@code after} for the following page (null on the last). */
public record Page(List<Entry> entries, String next) {
}
