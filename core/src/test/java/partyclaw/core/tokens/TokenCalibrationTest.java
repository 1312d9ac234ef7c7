package partyclaw.core.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenCalibrationTest {
  private static final double EXACT = 1e-12;

  @Test
  void beforeAnySampleTheFactorIsOneAndEstimatesPassThrough() {
    TokenCalibration calibration = new TokenCalibration();
    assertEquals(1.0, calibration.factor("m"), EXACT);
    assertEquals(12_345, calibration.calibrated("m", 12_345));
  }

  @Test
  void theFirstFiveSamplesMoveTheFactorBy035ThenBy015() {
    TokenCalibration calibration = new TokenCalibration();
    double[] expected = {1.35, 1.5775, 1.725375, 1.82149375, 1.8839709375, 1.901375296875, 1.91616900234375};
    for (int i = 0; i < expected.length; i++) {
      calibration.observe("m", 1000, 2000);
      assertEquals(expected[i], calibration.factor("m"), EXACT, "after sample " + (i + 1));
    }
    assertEquals(1916, calibration.calibrated("m", 1000));
  }

  @Test
  void ratiosAreClampedToAQuarterAndFour() {
    TokenCalibration calibration = new TokenCalibration();
    calibration.observe("up", 100, 10_000);
    assertEquals(1 + 0.35 * 3, calibration.factor("up"), EXACT);
    calibration.observe("down", 1000, 1);
    assertEquals(1 - 0.35 * 0.75, calibration.factor("down"), EXACT);
    assertEquals(7375, calibration.calibrated("down", 10_000));
  }

  @Test
  void emptySamplesAreIgnoredAndDoNotCountTowardsTheWarmup() {
    TokenCalibration calibration = new TokenCalibration();
    calibration.observe("m", 0, 100);
    calibration.observe("m", 100, 0);
    calibration.observe("m", -5, 100);
    assertEquals(1.0, calibration.factor("m"), EXACT);
    for (int i = 0; i < 4; i++) calibration.observe("m", 100, 100);
    calibration.observe("m", 100, 200);
    // still the fifth sample, so α is 0.35
    assertEquals(1.35, calibration.factor("m"), EXACT);
  }

  @Test
  void modelsAreCalibratedIndependently() {
    TokenCalibration calibration = new TokenCalibration();
    calibration.observe("a", 1000, 2000);
    assertEquals(1.35, calibration.factor("a"), EXACT);
    assertEquals(1.0, calibration.factor("b"), EXACT);
  }
}
