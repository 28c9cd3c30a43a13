package io.gridpush.security;

/** What an identity may do with a cache. */
public enum Right {
    READ, WRITE
}
