using CrossBorderHub.Edifact.Contrl;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>Codes whose responsible agency (3055) is not UN/ECE are not looked up in UNCL (issue 12).</summary>
public sealed class OtherAgencyCodeListTests
{
    private static byte[] Cusdec(string eqd) => System.Text.Encoding.ASCII.GetBytes(
        "UNA:+.? 'UNB+UNOC:3+SENDER1:ZZ+CNCUSTOMS:ZZ+240115:1030+REF0006++CUSDEC'UNH+1+CUSDEC:D:96B:UN'BGM+830+DEC0006+9'" +
        $"LOC+22+THBKK'DTM+137:20240115:102'{eqd}'UNS+D'UNS+S'UNT+8+1'UNZ+1+REF0006'");

    [Test]
    public void An_ISO_6346_container_type_with_agency_5_is_not_rejected_as_an_invalid_UN_code()
    {
        var result = Samples.Validate(Cusdec("EQD+CN+ABCU1234567+22G1:102:5"));
        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Findings));
        var info = result.Findings.Single();
        Assert.That(info.Severity, Is.EqualTo(EdifactSeverity.Info));
        Assert.That(info.Message, Does.Contain("agency 5").And.Contain("not checked against UNCL"));
        Assert.That(info.ToString(), Does.Contain("INFO 12"));
        var report = ContrlReader.Read(ContrlBuilder.Build(result, "CTL1", new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero)))!;
        Assert.That(report.Accepted, Is.True);
    }

    [Test]
    public void A_code_of_agency_6_is_still_checked_against_UNCL()
    {
        var result = Samples.Validate(Cusdec("EQD+CN+ABCU1234567+22G1::6"));
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Findings.Single().ToString(), Does.Contain("ERROR 12").And.Contain("is not a code of list 8155"));
    }

    [Test]
    public void A_code_without_agency_is_still_checked_against_UNCL()
    {
        var result = Samples.Validate(Cusdec("EQD+CN+ABCU1234567+22G1"));
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Findings.Single().Code, Is.EqualTo(SyntaxError.InvalidValue));
    }
}
