using CrossBorderHub.Channels.As2;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// Found by fuzzing (tests/CrossBorderHub.Fuzz/regressions/as2/signed-mdn-damaged-cms-*): a signed MDN whose CMS
/// signature decodes but holds a damaged certificate or signed attribute threw CryptographicException out of
/// As2Mdn.Read, which neither the receiver nor the sender catches (an unhandled error instead of 403 / RetryLater).
/// </summary>
public class As2DamagedSignatureTests
{
    private static IEnumerable<string> DamagedSignatures()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrossBorderHub.sln")))
        {
            dir = dir.Parent;
        }
        var folder = Path.Combine(dir!.FullName, "tests", "CrossBorderHub.Fuzz", "regressions", "as2");
        return Directory.GetFiles(folder, "signed-mdn-damaged-cms-*").Order(StringComparer.Ordinal);
    }

    [TestCaseSource(nameof(DamagedSignatures))]
    public void A_signed_MDN_with_a_damaged_certificate_or_attribute_in_its_signature_is_refused_as_a_bad_signature_not_a_crash(string file)
    {
        var top = RawMimeEntity.Parse(File.ReadAllBytes(file));
        Assert.Throws<As2SecurityException>(() => As2Mdn.Read(top, []), Path.GetFileName(file));
    }
}
