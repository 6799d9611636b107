using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>Code lists of other agencies added as plain files under schemas/codelists (issue 12).</summary>
public sealed class CodeListFileTests
{
    private static readonly CodeListFiles Shipped = CodeListFiles.Load(Path.Combine(Repo.Root, "schemas", "codelists"));

    private static byte[] Cusdec(string segment) => System.Text.Encoding.ASCII.GetBytes(
        "UNA:+.? 'UNB+UNOC:3+SENDER1:ZZ+CNCUSTOMS:ZZ+240115:1030+REF0006++CUSDEC'UNH+1+CUSDEC:D:96B:UN'BGM+830+DEC0006+9'" +
        $"LOC+22+THBKK'DTM+137:20240115:102'{segment}'UNS+D'UNS+S'UNT+8+1'UNZ+1+REF0006'");

    private static ValidationResult Validate(byte[] data, CodeListFiles lists) =>
        new EdifactValidator(Samples.Directories) { CodeLists = lists }.Validate(data);

    [Test]
    public void The_shipped_code_list_files_load_without_error()
    {
        Assert.That(Shipped.Errors, Is.Empty);
        Assert.That(Shipped.Lists.Select(l => l.FileName), Is.EquivalentTo(new[] { "ISO3166-1-alpha2.txt", "ISO6346.txt" }));
        Assert.That(Shipped.Lists.Single(l => l.FileName == "ISO3166-1-alpha2.txt").Codes, Has.Count.EqualTo(249));
    }

    [Test]
    public void An_ISO_6346_container_type_is_checked_against_the_ISO_6346_file_and_validates_at_the_codes_level()
    {
        var result = Validate(Samples.Read("cusdec-d96b-iso6346-container.edi"), Shipped);
        Assert.That(result.Findings, Is.Empty, "checked against the file: neither an error nor the 'not checked' info");
    }

    [Test]
    public void A_container_type_absent_from_the_ISO_6346_file_is_an_error()
    {
        var result = Validate(Cusdec("EQD+CN+ABCU1234567+99X9:102:5"), Shipped);
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Findings.Single().ToString(), Does.Contain("ERROR 12").And.Contain("'99X9' is not a code of ISO 6346 size and type codes"));
    }

    [Test]
    public void A_country_of_agency_5_is_checked_against_ISO_3166()
    {
        byte[] WithLocation(string loc) => System.Text.Encoding.ASCII.GetBytes(
            System.Text.Encoding.ASCII.GetString(Cusdec("EQD+CN+ABCU1234567+22G1:102:5")).Replace("LOC+22+THBKK", loc, StringComparison.Ordinal));
        Assert.That(Validate(WithLocation("LOC+35+TH::5"), Shipped).Findings, Is.Empty);
        Assert.That(Validate(WithLocation("LOC+35+QQ::5"), Shipped).Findings.Single().ToString(), Does.Contain("ERROR 12").And.Contain("ISO 3166"));
    }

    [Test]
    public void Without_a_file_for_the_list_the_code_stays_an_info_finding()
    {
        var result = Validate(Cusdec("EQD+CN+ABCU1234567+99X9:102:5"), CodeListFiles.Empty);
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Findings.Single().Severity, Is.EqualTo(EdifactSeverity.Info));
    }

    [Test]
    public void A_list_keyed_by_agency_and_qualifier_wins_over_one_keyed_by_agency_alone()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("codelists-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.txt"), "@element 8155\n@agency 5\n22G1\n");
            File.WriteAllText(Path.Combine(folder, "b.txt"), "@name Partner list\n@element 8155\n@agency 5\n@qualifier 102\nZZZZ a private code\n");
            var lists = CodeListFiles.Load(folder);
            Assert.That(lists.Errors, Is.Empty);
            Assert.That(lists.Find("8155", "5", "102")!.Name, Is.EqualTo("Partner list"));
            Assert.That(lists.Find("8155", "5", null)!.FileName, Is.EqualTo("a.txt"));
            Assert.That(lists.Find("8155", "6", null), Is.Null);
            Assert.That(Validate(Cusdec("EQD+CN+ABCU1234567+ZZZZ:102:5"), lists).Findings, Is.Empty);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_code_list_file_without_its_key_is_refused_with_the_file_and_the_fix()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("codelists-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "broken.txt"), "# no key\n@agncy 5\n22G1\n");
            var lists = CodeListFiles.Load(folder);
            Assert.That(lists.Lists, Is.Empty);
            Assert.That(lists.Errors, Has.Some.Contains("broken.txt line 2: unknown header @agncy"));
            Assert.That(lists.Errors, Has.Some.Contains("broken.txt: no @element line"));
            Assert.That(lists.Errors, Has.Some.Contains("broken.txt: neither @agency nor @qualifier"));
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
