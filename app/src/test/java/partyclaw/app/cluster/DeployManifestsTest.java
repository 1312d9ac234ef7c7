package partyclaw.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import partyclaw.core.config.ClusterConfig;
import partyclaw.core.config.ConfigLoader;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;

/** deploy/: the ConfigMap's config loads as a Kubernetes cluster node, and the manifests agree on names and ports. */
class DeployManifestsTest {
  static final Path DEPLOY = Path.of(System.getProperty("partyclaw.repo.root", "..")).resolve("deploy");

  @Test
  void theConfigMapIsAValidKubernetesClusterConfig() throws Exception {
    List<String> lines = Files.readAllLines(DEPLOY.resolve("configmap.yaml"));
    int start = lines.indexOf("  config.json: |") + 1;
    assertTrue(start > 0, "configmap.yaml has a config.json block");
    String json = lines.subList(start, lines.size()).stream().takeWhile(l -> l.startsWith("    ") || l.isBlank())
        .map(l -> l.length() >= 4 ? l.substring(4) : l).collect(Collectors.joining("\n"));
    Environment env = Environment.of(Map.of("POD_IP", "10.4.0.12",
        "PARTYCLAW_POSTGRES_URL", "jdbc:postgresql://postgres:5432/partyclaw?user=partyclaw&password=x",
        "OPENROUTER_API_KEY", "k", "TELEGRAM_BOT_TOKEN", "1:t"));
    PartyclawConfig cfg = ConfigLoader.parse(json, DEPLOY, env, "deploy/configmap.yaml");
    ClusterConfig cluster = cfg.cluster();
    assertEquals("10.4.0.12", cluster.host());
    assertEquals(ClusterConfig.Discovery.KUBERNETES_API, cluster.discovery());
    assertEquals(Path.of("/shared"), cluster.sharedDir());
    assertEquals("0.0.0.0:8558", cfg.management().listenAddr());
  }

  @Test
  void theDeploymentMountsWhatTheConfigNamesAndProbesTheManagementEndpoint() throws Exception {
    String deployment = Files.readString(DEPLOY.resolve("deployment.yaml"));
    for (String line : List.of("mountPath: /shared", "mountPath: /etc/partyclaw", "mountPath: /var/lib/partyclaw",
        "containerPort: " + ClusterMode.AKKA_MANAGEMENT_PORT, "- name: management", "path: /ready", "path: /alive",
        "serviceAccountName: partyclaw", "claimName: partyclaw-shared", "name: partyclaw-secrets")) {
      assertTrue(deployment.lines().map(String::strip).anyMatch(line.strip()::equals),
          "deployment.yaml has `" + line.strip() + "`");
    }
    assertTrue(Files.readString(DEPLOY.resolve("rbac.yaml")).contains("verbs: [\"get\", \"watch\", \"list\"]"));
    assertTrue(Files.readString(DEPLOY.resolve("pdb.yaml")).contains("maxUnavailable: 1"));
  }
}
