package io.gridpush.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules, checked on the compiled classes of the protocol, client, server and test kit
 * (the load tool is not on the tests' classpath: tests never depend on it). Each rule names what it protects.
 */
class ArchitectureTest {
    private static final JavaClasses GRIDPUSH = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.gridpush");

    /** Packages by role form layers, never a loop (bayeux and metrics used to need each other). */
    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.gridpush.(*)..").should().beFreeOfCycles().check(GRIDPUSH);
    }

    /** The contract is plain Java: the Java client, the gateway and third-party code can all depend on it. */
    @Test
    void theProtocolDependsOnNothing() {
        classes().that().resideInAPackage("io.gridpush.protocol..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.gridpush.protocol..", "java..")
            .check(GRIDPUSH);
    }

    /** A user's dependency on the Java client pulls the contract and the CometD client, nothing of the server. */
    @Test
    void theClientDependsOnlyOnTheProtocolAndTheCometDClient() {
        classes().that().resideInAPackage("io.gridpush.client..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.gridpush.client..", "io.gridpush.protocol..",
                "java..", "org.cometd.bayeux..", "org.cometd.client..", "org.cometd.common..",
                "org.eclipse.jetty.client..", "org.eclipse.jetty.util..", "org.eclipse.jetty.ee11.websocket.jakarta.client..",
                "jakarta.websocket..", "org.slf4j..")
            .check(GRIDPUSH);
    }

    /** The gateway never reaches into the client or the test kit. */
    @Test
    void theServerDoesNotDependOnClientOrTestKit() {
        noClasses().that().resideInAnyPackage("io.gridpush.server..", "io.gridpush.bayeux..", "io.gridpush.cache..",
                "io.gridpush.scope..", "io.gridpush.security..", "io.gridpush.config..", "io.gridpush.metrics..", "io.gridpush.demo..")
            .should().dependOnClassesThat().resideInAnyPackage("io.gridpush.client..", "io.gridpush.testkit..")
            .check(GRIDPUSH);
    }

    /** Infinispan stays behind the cache package (and the Jetty assembly that reports its health). */
    @Test
    void onlyTheCachePackageTalksToInfinispan() {
        noClasses().that().resideInAnyPackage("io.gridpush.scope..", "io.gridpush.security..", "io.gridpush.bayeux..",
                "io.gridpush.config..", "io.gridpush.metrics..", "io.gridpush.protocol..", "io.gridpush.client..")
            .should().dependOnClassesThat().resideInAnyPackage("org.infinispan..")
            .check(GRIDPUSH);
    }

    /** Rights have one home: only the security package weighs who may read or write what. */
    @Test
    void onlyTheAccessRulesDecideRights() {
        noClasses().that().resideOutsideOfPackage("io.gridpush.security..")
            .should().callMethod(io.gridpush.config.GatewayConfig.CacheAccess.class, "canRead", String.class)
            .orShould().callMethod(io.gridpush.config.GatewayConfig.CacheAccess.class, "canWrite", String.class)
            .orShould().callMethod(io.gridpush.config.KeyPattern.class, "matches", String.class, String.class)
            .check(GRIDPUSH);
    }
}
