package kz.baga.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One journey per audience in a real browser (Debian's chromium, headless) on the committed sample: sign in,
 * open the role's pages, use their controls, download what they offer. Each page is saved as a screenshot under
 * {@code target/screenshots/}; the browser's console must stay free of errors (a blocked style or script shows
 * there).
 */
@QuarkusTest
class BrowserJourneysTest {

    static final Path SHOTS = Path.of("target/screenshots");
    static WebDriver browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Path.of("/usr/bin/chromium").toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=ru");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void open(String path) {
        browser.get(base.toString().replaceAll("/$", "") + path);
    }

    private void signIn(String user) {
        browser.manage().deleteAllCookies();
        open("/login?lang=ru");
        browser.findElement(By.id("u")).sendKeys(user);
        browser.findElement(By.id("p")).sendKeys(Fixture.PASSWORD);
        browser.findElement(By.cssSelector("form.login button[type=submit]")).click();
        // the click returns before the browser has followed the sign-in's redirects
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.getCurrentUrl().contains("/login")
                || d.getCurrentUrl().contains("error"));
        assertThat(browser.getCurrentUrl()).as("signed in as " + user).doesNotContain("/login");
    }

    /** Clicks a control that loads another page and waits for that page. */
    private void clickAndWait(WebElement control) {
        WebElement old = browser.findElement(By.tagName("html"));
        control.click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(old));
    }

    private void shot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(e -> e.getMessage()).toList();
        assertThat(errors).as("browser console errors on " + name).isEmpty();
    }

    /** A download the page links to, fetched with the browser's own session cookie. */
    private Response download(WebElement link) {
        String session = browser.manage().getCookieNamed(Pages.SESSION).getValue();
        return given().cookie(Pages.SESSION, session).get(link.getAttribute("href"));
    }

    private static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void aPremiumParentOpensTheChildSeesTheChartAndDownloadsThePdf() throws IOException {
        signIn("parent.premium");
        // one child: straight to the pupil page
        assertThat(browser.getCurrentUrl()).contains("/children/" + Fixture.premiumChild());
        String name = browser.findElement(By.tagName("h1")).getText();
        assertThat(name).isNotBlank();
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(1);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Динамика успеваемости",
                "Место в классе", "«Алтын белгі»");
        shot("parent-premium-1-pupil");
        ((ChromeDriver) browser).executeScript("document.getElementById('dyn-h').scrollIntoView();");
        // the platform switch is named under the chart (the sample moved from Kundelik to BilimClass in January)
        assertThat(browser.findElement(By.cssSelector(".chart-box figcaption")).getText()).contains("Kundelik",
                "BilimClass");
        shot("parent-premium-1-chart");
        // a subject from the picker redraws the chart for that subject
        Select subject = new Select(browser.findElement(By.id("subject")));
        subject.selectByIndex(1);
        String picked = subject.getFirstSelectedOption().getText();
        clickAndWait(browser.findElement(By.cssSelector("section[aria-labelledby=dyn-h] button")));
        assertThat(browser.getCurrentUrl()).contains("subject=");
        assertThat(browser.findElement(By.cssSelector("svg.chart")).getText()).contains(picked);
        shot("parent-premium-2-subject");
        byte[] pdf = download(browser.findElement(By.id("pupil-pdf"))).then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        assertThat(pdfText(pdf)).contains(name.split(" ")[0]);
        // the same page on a phone: nothing wider than the screen but the tables' own scroll boxes
        browser.manage().window().setSize(new Dimension(375, 812));
        browser.navigate().refresh();
        Long overflow = (Long) ((ChromeDriver) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).isLessThanOrEqualTo(0L);
        shot("parent-premium-3-phone");
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    void aFreeParentSeesWhatPremiumAdds() throws IOException {
        signIn("parent.free");
        assertThat(browser.getCurrentUrl()).contains("/children/" + Fixture.freeChild());
        String main = browser.findElement(By.tagName("main")).getText();
        assertThat(main).contains("Расширенная аналитика", "Четвертные, годовые и итоговые оценки");
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).isEmpty();
        shot("parent-free-1-pupil");
    }

    @Test
    void theSchoolFiltersCandidatesAndDownloadsTheCsv() throws IOException {
        signIn("school");
        assertThat(browser.getCurrentUrl()).contains("/schools/" + Fixture.SCHOOL + "/medal-candidates");
        shot("school-1-candidates");
        new Select(browser.findElement(By.id("award"))).selectByValue("ALTYN_BELGI");
        clickAndWait(browser.findElement(By.cssSelector("form.filters button")));
        assertThat(browser.getCurrentUrl()).contains("award=ALTYN_BELGI");
        List<WebElement> rows = browser.findElements(By.cssSelector("#candidates tbody tr"));
        rows.forEach(r -> assertThat(r.getText()).contains("«Алтын белгі»"));
        shot("school-2-filtered");
        String csv = download(browser.findElement(By.id("csv"))).then().statusCode(200).extract().asString();
        List<String> lines = csv.lines().skip(1).toList();
        assertThat(lines).hasSize(rows.size()).allSatisfy(l -> assertThat(l).contains(",ALTYN_BELGI,"));
        // a pupil of the list opens on the pupil page
        if (!rows.isEmpty()) {
            clickAndWait(rows.get(0).findElement(By.tagName("a")));
            assertThat(browser.getCurrentUrl()).contains("/children/");
            shot("school-3-pupil");
        }
        open("/schools/" + Fixture.SCHOOL + "/reconciliation");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Сверка данных");
        shot("school-4-reconciliation");
    }

    @Test
    void theDepartmentSortsSchoolsAndDownloadsTheDistrictPdf() throws IOException {
        signIn("department");
        assertThat(browser.getCurrentUrl()).contains("/districts/" + Fixture.DISTRICT);
        shot("department-1-district");
        clickAndWait(browser.findElement(By.cssSelector("#schools thead th:nth-child(4) a")));
        assertThat(browser.getCurrentUrl()).contains("sort=quality");
        assertThat(browser.findElement(By.cssSelector("#schools thead th:nth-child(4)")).getAttribute("aria-sort"))
                .isEqualTo("descending");
        shot("department-2-sorted");
        byte[] pdf = download(browser.findElement(By.id("district-pdf"))).then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        assertThat(pdfText(pdf)).contains("Отчёт по району");
    }

    @Test
    void theAuditorVerifiesTheChain() throws IOException {
        signIn("auditor");
        assertThat(browser.getCurrentUrl()).contains("/audit");
        clickAndWait(browser.findElement(By.id("verify")));
        assertThat(browser.findElement(By.id("chain")).getText()).startsWith("Цепочка цела");
        assertThat(browser.findElements(By.cssSelector("#records tbody tr"))).isNotEmpty();
        shot("auditor-1-verified");
    }
}
