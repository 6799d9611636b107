using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// Once for the AS2 tests: a temp folder with three RSA identities as PEM files (the hub, the partner CN, and a
/// stranger whose certificate nobody pins), so openssl and libas2 can use the same keys the hub uses.
/// </summary>
[SetUpFixture]
public sealed class As2TestEnvironment
{
    public static string Folder { get; private set; } = "";
    public static TestIdentity Hub { get; private set; } = null!;
    public static TestIdentity Partner { get; private set; } = null!;
    public static TestIdentity Stranger { get; private set; } = null!;

    [OneTimeSetUp]
    public void Create()
    {
        Folder = Path.Combine(Path.GetTempPath(), "xbh-as2-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        Hub = TestIdentity.Create(Folder, "hub", "CN=XBHUB AS2 test");
        Partner = TestIdentity.Create(Folder, "partner", "CN=CN single window AS2 test");
        Stranger = TestIdentity.Create(Folder, "stranger", "CN=CN single window AS2 test");
    }

    [OneTimeTearDown]
    public void Delete()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a peer process may still hold a file; the OS cleans temp
        }
    }

    /// <summary>Runs a tool; a missing tool ignores the test locally and fails it with CI=true.</summary>
    public static byte[] Run(string tool, string arguments, byte[]? stdin = null, string? workingDirectory = null, int timeoutSeconds = 60)
    {
        RequireTool(tool, tool == "node" ? "nodejs npm" : tool);
        var start = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Folder,
        };
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {arguments} did not finish within {timeoutSeconds}s");
        }
        copy.Wait();
        if (process.ExitCode != 0)
        {
            throw new ToolFailedException($"{tool} {arguments} exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout.ToArray();
    }

    public static void RequireTool(string tool, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
        if (found)
        {
            return;
        }
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{tool} is missing: apt-get install -y {package}");
        }
        Assert.Ignore($"install: apt-get install -y {package}");
    }
}

public sealed class ToolFailedException(string message) : Exception(message);

/// <summary>An RSA identity: the certificate (PEM), the PKCS#8 key (PEM) and the loaded X509Certificate2 with key.</summary>
public sealed record TestIdentity(string CertificatePath, string KeyPath, X509Certificate2 Certificate)
{
    public string CertificatePem => File.ReadAllText(CertificatePath);
    public string KeyPem => File.ReadAllText(KeyPath);

    public static TestIdentity Create(string folder, string name, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var certificatePath = Path.Combine(folder, name + ".pem");
        var keyPath = Path.Combine(folder, name + ".key");
        File.WriteAllText(certificatePath, created.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        var loaded = Core.Certificates.CertificateFiles.LoadWithPrivateKey(certificatePath, keyPath);
        return new TestIdentity(certificatePath, keyPath, loaded);
    }
}
