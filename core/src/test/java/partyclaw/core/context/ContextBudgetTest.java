package partyclaw.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContextBudgetTest {

  @Test
  void aThirtyTwoKWindowWithTheDefaultRatios() {
    ContextBudget budget = new ContextBudget(32_768, 0.9, null, 0.18);
    assertEquals(29_491, budget.threshold());
    assertEquals(5_898, budget.tailBudget());
    assertEquals(List.of(5_898L, 2_949L, 1_474L),
        List.of(budget.tailBudgetForPass(0), budget.tailBudgetForPass(1), budget.tailBudgetForPass(2)));
    assertEquals(16_384, budget.minimumFor(0.5));
  }

  @Test
  void theOverrideReplacesTheRatioThreshold() {
    assertEquals(20_000, new ContextBudget(128_000, 0.9, 20_000L, 0.18).threshold());
    assertEquals(115_200, new ContextBudget(128_000, 0.9, null, 0.18).threshold());
  }

  @Test
  void smallWindowsKeepTheTailMinimums() {
    ContextBudget budget = new ContextBudget(4_096, 0.9, null, 0.18);
    assertEquals(3_686, budget.threshold());
    assertEquals(1_024, budget.tailBudget());
    assertEquals(List.of(1_024L, 512L, 512L),
        List.of(budget.tailBudgetForPass(0), budget.tailBudgetForPass(1), budget.tailBudgetForPass(2)));
    assertThrows(IllegalArgumentException.class, () -> budget.tailBudgetForPass(-1));
  }
}
