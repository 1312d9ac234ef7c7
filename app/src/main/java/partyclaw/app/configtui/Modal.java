package partyclaw.app.configtui;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** The dialogs of the editor: text input, select, multi-select, confirm and message (spec §5). */
sealed interface Modal {
  String title();

  final class TextInput implements Modal {
    final String title;
    final String label;
    final StringBuilder buffer;
    final Consumer<String> ok;

    TextInput(String title, String label, String initial, Consumer<String> ok) {
      this.title = title;
      this.label = label;
      this.buffer = new StringBuilder(initial == null ? "" : initial);
      this.ok = ok;
    }

    @Override
    public String title() {
      return title;
    }
  }

  final class Select implements Modal {
    final String title;
    final List<String> options;
    int index;
    final Consumer<String> ok;

    Select(String title, List<String> options, String current, Consumer<String> ok) {
      this.title = title;
      this.options = options;
      this.index = Math.max(0, options.indexOf(current));
      this.ok = ok;
    }

    @Override
    public String title() {
      return title;
    }
  }

  final class MultiSelect implements Modal {
    final String title;
    final List<String> options;
    final Set<String> checked;
    int index;
    final Consumer<List<String>> ok;

    MultiSelect(String title, List<String> options, List<String> current, Consumer<List<String>> ok) {
      this.title = title;
      List<String> all = new ArrayList<>(options);
      for (String c : current) if (!all.contains(c)) all.add(c); // unknown values already present stay choosable
      this.options = all;
      this.checked = new LinkedHashSet<>(current);
      this.ok = ok;
    }

    List<String> chosen() {
      return options.stream().filter(checked::contains).toList();
    }

    @Override
    public String title() {
      return title;
    }
  }

  record Confirm(String title, String message, Runnable yes) implements Modal {}

  record Message(String title, List<String> lines) implements Modal {}
}
