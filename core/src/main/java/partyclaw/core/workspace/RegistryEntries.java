package partyclaw.core.workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registry's content in memory: records by id, and the mounts each workspace holds. Not thread-safe. */
final class RegistryEntries {
  final Map<String, WorkspaceRecord> records = new TreeMap<>();
  final Map<String, List<WorkspaceMount>> mounts = new TreeMap<>();

  List<WorkspaceMount> mountsOf(String id) {
    return mounts.getOrDefault(id, List.of());
  }

  /** Replaces any mount of the same name. */
  void putMount(String id, WorkspaceMount mount) {
    List<WorkspaceMount> list = new ArrayList<>(mountsOf(id));
    list.removeIf(m -> m.mountName().equals(mount.mountName()));
    list.add(mount);
    list.sort((a, b) -> a.mountName().compareTo(b.mountName()));
    mounts.put(id, List.copyOf(list));
  }

  boolean removeMount(String id, String mountName) {
    List<WorkspaceMount> list = new ArrayList<>(mountsOf(id));
    boolean removed = list.removeIf(m -> m.mountName().equals(mountName));
    if (removed) {
      if (list.isEmpty()) mounts.remove(id);
      else mounts.put(id, List.copyOf(list));
    }
    return removed;
  }
}
