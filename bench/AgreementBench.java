// Times the live agreement computation (issue 24) on synthetic reviews: ordinal alpha with a 1,000-resample bootstrap
// per criterion and weighted total, for 100,000 reviewed items, plus reading the reviews' scores from their JSON as
// the worker does. Not a test: run by bench/agreement, which writes the report to bench/results/.
//
//   java -XX:ActiveProcessorCount=2 -cp target/classes:<vert.x core jars> bench/AgreementBench.java [items] [runs]
import dev.gameday.review.LiveAgreement;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

public class AgreementBench {
  public static void main(String[] args) {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int exercises = 5;
    int criteria = 5;
    int[] weights = {3, 2, 2, 1, 1};
    Random r = new Random(1);
    // levels as the agreement query reads them: one small JSON object per review; every tenth item adjudicated by a third reviewer
    List<List<String[]>> stored = new ArrayList<>();
    for (int e = 0; e < exercises; e++) {
      List<String[]> perItem = new ArrayList<>();
      for (int i = 0; i < items / exercises; i++) {
        int reviewers = i % 10 == 0 ? 3 : 2;
        String[] reviews = new String[reviewers];
        int[] truth = new int[criteria];
        for (int c = 0; c < criteria; c++) {
          truth[c] = 1 + r.nextInt(4);
        }
        for (int k = 0; k < reviewers; k++) {
          JsonObject s = new JsonObject();
          for (int c = 0; c < criteria; c++) {
            int level = Math.max(1, Math.min(4, truth[c] + (r.nextInt(5) == 0 ? r.nextInt(3) - 1 : 0)));
            s.put("c" + c, level); // as the worker gets them: levels only, the notes stay in the database
          }
          reviews[k] = s.encode();
        }
        perItem.add(reviews);
      }
      stored.add(perItem);
    }
    List<String> names = List.of("c0", "c1", "c2", "c3", "c4");
    System.out.println("items=" + items + " exercises=" + exercises + " criteria=" + criteria + " resamples=" + LiveAgreement.RESAMPLES
        + " cores=" + Runtime.getRuntime().availableProcessors());
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int run = 1; run <= runs; run++) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      List<LiveAgreement.Group> groups = new ArrayList<>();
      for (int e = 0; e < exercises; e++) {
        List<int[][]> units = new ArrayList<>();
        for (String[] reviews : stored.get(e)) {
          int[][] item = new int[reviews.length][criteria];
          for (int k = 0; k < reviews.length; k++) {
            JsonObject s = new JsonObject(reviews[k]);
            for (int c = 0; c < criteria; c++) {
              item[k][c] = s.getInteger(names.get(c));
            }
          }
          units.add(item);
        }
        groups.add(new LiveAgreement.Group("ex" + e, "v1", names, weights, units));
      }
      long t1 = System.nanoTime();
      int figures = 0;
      String sample = "";
      for (LiveAgreement.Group g : groups) {
        List<LiveAgreement.Figure> f = LiveAgreement.compute(g, LiveAgreement.RESAMPLES, LiveAgreement.SEED);
        figures += f.size();
        sample = f.get(f.size() - 1).toString();
      }
      long t2 = System.nanoTime();
      long cpu = os.getProcessCpuTime() - cpu0;
      // on a shared machine the wall time includes waiting for a core; CPU time / 2 is the wall time 2 idle cores need
      System.out.printf("run %d: wall: parse %.0f ms, statistics %.0f ms, total %.0f ms; CPU %.0f ms (/2 = %.0f ms); load %.1f (%d figures)%n",
          run, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6, cpu / 1e6, cpu / 2e6, os.getSystemLoadAverage(), figures);
      if (run == runs) {
        System.out.println("e.g. " + sample);
      }
    }
  }
}
