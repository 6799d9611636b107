using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

/// <summary>`hub sign` and `hub verify`: exit codes 0 valid, 1 invalid (reason on stderr), 2 usage or I/O.</summary>
public sealed class SignVerifyVerbTests : CliVerbTestBase
{

    private (string Cert, string Key, string Pfx) Certificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cert = Path.Combine(Folder, $"{name}.crt");
        var keyFile = Path.Combine(Folder, $"{name}.key");
        var pfx = Path.Combine(Folder, $"{name}.pfx");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "s3cret"));
        return (cert, keyFile, pfx);
    }

    private string Document()
    {
        var path = Path.Combine(Folder, "in.xml");
        File.WriteAllText(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<c:Certificate xmlns:c=\"urn:example:test\"><c:Number>CN-1</c:Number></c:Certificate>\n");
        return path;
    }

    [Test]
    public async Task SignThenVerifySucceedsAndATamperedCopyFailsWithTheReason()
    {
        var (cert, key, _) = Certificate("partner");
        var signed = Path.Combine(Folder, "signed.xml");
        var sign = await Run(new SignVerb(), "--cert", cert, "--key", key, Document(), "-o", signed);
        Assert.That(sign.Exit, Is.EqualTo(0), sign.Error);

        var verify = await Run(new VerifyVerb(), "--trust", cert, signed);
        Assert.That(verify.Exit, Is.EqualTo(0), verify.Error);

        var tampered = Path.Combine(Folder, "tampered.xml");
        File.WriteAllText(tampered, File.ReadAllText(signed).Replace("CN-1", "CN-2", StringComparison.Ordinal));
        var rejected = await Run(new VerifyVerb(), "--trust", cert, tampered);
        Assert.That(rejected.Exit, Is.EqualTo(1));
        Assert.That(rejected.Error, Does.Contain("XMLDSIG-INVALID"));
    }

    [Test]
    public async Task AnotherCertificateIsNotTrusted()
    {
        var (cert, key, _) = Certificate("partner");
        var (other, _, _) = Certificate("other");
        var signed = Path.Combine(Folder, "signed.xml");
        Assert.That((await Run(new SignVerb(), "--cert", cert, "--key", key, Document(), "-o", signed)).Exit, Is.EqualTo(0));
        var result = await Run(new VerifyVerb(), "--trust", other, signed);
        Assert.That(result.Exit, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("XMLDSIG-UNTRUSTED"));
    }

    [Test]
    public async Task APfxPasswordComesFromTheNamedEnvironmentVariableAndIsNeverPrinted()
    {
        var (cert, _, pfx) = Certificate("partner");
        var signed = Path.Combine(Folder, "signed.xml");
        Environment.SetEnvironmentVariable("HUB_TEST_PFX_PASSWORD", "s3cret");
        try
        {
            var sign = await Run(new SignVerb(), "--cert", pfx, "--password-env", "HUB_TEST_PFX_PASSWORD", Document(), "-o", signed);
            Assert.That(sign.Exit, Is.EqualTo(0), sign.Error);
            Assert.That(sign.Out + sign.Error, Does.Not.Contain("s3cret"));
            Assert.That((await Run(new VerifyVerb(), "--trust", cert, signed)).Exit, Is.EqualTo(0));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HUB_TEST_PFX_PASSWORD", null);
        }
    }

    [Test]
    public async Task UsageAndIoErrorsExitWith2()
    {
        var (cert, _, _) = Certificate("partner");
        Assert.That((await Run(new VerifyVerb(), Document())).Exit, Is.EqualTo(2), "no --trust");
        Assert.That((await Run(new VerifyVerb(), "--trust", cert, Path.Combine(Folder, "missing.xml"))).Exit, Is.EqualTo(2));
        Assert.That((await Run(new VerifyVerb(), "--trust", Path.Combine(Folder, "missing.pem"), Document())).Exit, Is.EqualTo(2));
        Assert.That((await Run(new SignVerb(), "--cert", cert, Document())).Exit, Is.EqualTo(2), "no -o");
        Assert.That((await Run(new SignVerb(), "--cert", cert, Document(), "-o", Path.Combine(Folder, "o.xml"))).Exit, Is.EqualTo(2), "no private key");
    }

    [Test]
    public async Task MalformedOrHostileInputIsInvalidWithPosition()
    {
        var (cert, _, _) = Certificate("partner");
        var hostile = Path.Combine(Folder, "xxe.xml");
        File.WriteAllText(hostile, "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>&x;</r>");
        var result = await Run(new VerifyVerb(), "--trust", cert, hostile);
        Assert.That(result.Exit, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("XML-DTD"));
        var unsigned = await Run(new VerifyVerb(), "--trust", cert, Document());
        Assert.That(unsigned.Exit, Is.EqualTo(1));
        Assert.That(unsigned.Error, Does.Contain("XMLDSIG-UNSIGNED"));
    }

    [Test]
    public async Task Verify_of_a_document_over_the_size_limit_is_refused_in_one_line_without_reading_it()
    {
        // 200 MB that `hub validate` refuses: sparse, so the test costs no disk; the old verb read it all (337 MB RSS).
        var (cert, _, _) = Certificate("partner");
        var huge = Path.Combine(Folder, "huge.xml");
        await using (var file = new FileStream(huge, FileMode.CreateNew))
        {
            await file.WriteAsync("<?xml version=\"1.0\"?><a>"u8.ToArray());
            file.SetLength(200L * 1024 * 1024);
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await Run(new VerifyVerb(), "--trust", cert, huge);

        clock.Stop();
        var cost = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Assert.That(result.Exit, Is.EqualTo(1), result.Error);
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("huge.xml:1:1: XML-TOO-LARGE").And.Contain("209,715,200 bytes").And.Contain("Hub:Processing:Xml:MaxDocumentBytes"));
        Assert.That(cost, Is.LessThan(16 * 1024 * 1024), $"verify allocated {cost:N0} bytes for a document it refuses");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task Verify_applies_the_configured_size_limit_and_streams_a_document_within_it()
    {
        var (cert, key, _) = Certificate("partner");
        var signed = Path.Combine(Folder, "signed.xml");
        Assert.That((await Run(new SignVerb(), "--cert", cert, "--key", key, Document(), "-o", signed)).Exit, Is.EqualTo(0));

        var refused = await Run(new VerifyVerb(), "--trust", cert, signed, "--Hub:Processing:Xml:MaxDocumentBytes=100");
        Assert.That(refused.Exit, Is.EqualTo(1));
        Assert.That(refused.Error, Does.Contain("XML-TOO-LARGE").And.Contain("over the limit of 100"));

        var accepted = await Run(new VerifyVerb(), "--trust", cert, signed, "--Hub:Processing:Xml:MaxDocumentBytes=1000000");
        Assert.That(accepted.Exit, Is.EqualTo(0), accepted.Error);
        Assert.That(accepted.Out, Does.Contain("OK"));
    }
}
