package org.chatarchive.cli;

import java.nio.file.Path;
import java.util.Map;

import org.chatarchive.readers.keys.CommandRunner;
import org.chatarchive.readers.keys.KeyRequest;
import org.chatarchive.readers.keys.Platform;
import org.chatarchive.readers.signal.desktop.SignalProfileLocator;

/**
 * The computer the command runs on: its OS, the user's home, the environment, and how keyring tools are run.
 * Tests swap it for a temporary home so that they never see the real profiles or keyrings.
 *
 * @param os     the operating system
 * @param home   the user's home folder
 * @param env    environment variables
 * @param runner runs keyring tools
 */
record Host(Platform os, Path home, Map<String, String> env, CommandRunner runner) {

    private static volatile Host current = system();

    /** This computer. */
    static Host system() {
        return new Host(Platform.current(), Path.of(System.getProperty("user.home")), System.getenv(),
                CommandRunner.system());
    }

    /** The host commands use. */
    static Host current() {
        return current;
    }

    /** Replaces the host (tests); returns the previous one, to put back. */
    static Host use(Host host) {
        Host previous = current;
        current = host;
        return previous;
    }

    /** Where this host's Signal Desktop profiles may be. */
    SignalProfileLocator locator() {
        return new SignalProfileLocator(os, home, env);
    }

    /** A key request on this host with the user's key options. */
    KeyRequest keys(String keyHex, String safeStoragePassword) {
        return new KeyRequest(keyHex, safeStoragePassword, os, runner, env);
    }
}
