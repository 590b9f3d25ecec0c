import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Prints one line per skipped and failed test, then the kernel VM tier's one-line result, from
 * the JUnit XML reports the console launcher wrote. Run as a single-file program:
 * {@code java JunitSummary.java REPORT_DIR}. Exit code 0 only when there were tests and none failed.
 */
public class JunitSummary {
  public static void main(String[] args) throws Exception {
    var dir = new File(args[0]);
    var reports = dir.listFiles((d, name) -> name.startsWith("TEST-") && name.endsWith(".xml"));
    if (reports == null || reports.length == 0) {
      System.out.println("kernel-vm: 0 passed, 0 failed (no JUnit XML report in " + dir + ")");
      System.exit(1);
    }
    int passed = 0;
    List<String> failed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    var factory = DocumentBuilderFactory.newInstance();
    for (var report : reports) {
      var cases = factory.newDocumentBuilder().parse(report).getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        var testcase = (Element) cases.item(i);
        var name = testcase.getAttribute("classname") + "." + testcase.getAttribute("name");
        var problem = first(testcase, "failure");
        problem = problem != null ? problem : first(testcase, "error");
        var skip = first(testcase, "skipped");
        if (problem != null) {
          failed.add(name + ": " + oneLine(problem));
        } else if (skip != null) {
          skipped.add(name + ": " + oneLine(skip));
        } else {
          passed++;
        }
      }
    }
    skipped.forEach(s -> System.out.println("  skipped " + s));
    failed.forEach(f -> System.out.println("  FAILED  " + f));
    // Last, so it is the closing line CI shows.
    System.out.println(
        "kernel-vm: " + passed + " passed, " + failed.size() + " failed, " + skipped.size()
            + " skipped");
    System.exit(failed.isEmpty() && passed > 0 ? 0 : 1);
  }

  private static Element first(Element parent, String tag) {
    var nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
  }

  private static String oneLine(Element problem) {
    var message = problem.getAttribute("message");
    if (message.isBlank()) {
      // Skips carry only the stack trace: keep its first line without the exception class.
      message = problem.getTextContent().strip().lines().findFirst().orElse("");
      message = message.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
    }
    message = message.strip().replaceAll("\\s+", " ");
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }
}
