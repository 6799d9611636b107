using System.Diagnostics;

namespace CrossBorderHub.Xml.Tests;

/// <summary>Runs the independent xmlsec1 tool. Missing: fails under CI=true, otherwise the test is ignored with the fix.</summary>
internal static class XmlSec1
{
    public static string Path
    {
        get
        {
            foreach (var candidate in new[] { "/usr/bin/xmlsec1", "/usr/local/bin/xmlsec1" })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            const string fix = "xmlsec1 is not installed: apt-get install xmlsec1";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(fix);
            }
            Assert.Ignore(fix);
            return "";
        }
    }

    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("xmlsec1 did not finish within 120 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>An xmlsec1 signing template: the document with an empty enveloped Signature for the given algorithm.</summary>
    public static string Template(string xml, string signatureMethod)
    {
        var signature = $"""
            <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{signatureMethod}"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>
            """;
        var end = xml.LastIndexOf("</", StringComparison.Ordinal);
        return xml[..end] + signature + xml[end..];
    }
}
