using CsCheck;

namespace CrossBorderHub.Edifact.Tests;

/// <summary>
/// Property: the chunked validation (several cores, cut between messages) and the single run agree on generated
/// interchanges, valid or damaged: same findings, message summaries, counts and envelope.
/// </summary>
public class ChunkedValidationProperties
{
    [Test]
    public void Chunked_and_single_validation_agree_on_written_interchanges()
    {
        Gen.Select(GeneratedInterchanges.Written(maxMessages: 30), Gen.Int[2, 6])
            .Sample((data, chunks) => AssertAgree(data, chunks), iter: 150, print: t => $"{t.Item2} chunks: {GeneratedInterchanges.Show(t.Item1)}");
    }

    [Test]
    public void Chunked_and_single_validation_agree_on_damaged_interchanges()
    {
        Gen.Select(GeneratedInterchanges.Damaged(maxMessages: 30, maxDefects: 4), Gen.Int[2, 6])
            .Sample((data, chunks) => AssertAgree(data, chunks), iter: 250, print: t => $"{t.Item2} chunks: {GeneratedInterchanges.Show(t.Item1)}");
    }

    // Shrunk from the damaged-interchanges property: a UNB whose tag is followed by a byte that is no separator is not
    // a UNB, so the single run reports it missing once; each later chunk reported "UNH before UNB" again.
    [Test]
    public void A_damaged_UNB_tag_gives_the_single_run_findings_in_chunks()
    {
        var messages = string.Concat(Enumerable.Range(0, 6).Select(m => $"UNH+M{m}+CUSDEC:D:96B:UN'\nUNS+D'\nUNT+3+M{m}'\n"));
        var data = System.Text.Encoding.Latin1.GetBytes("UNA:+.? '\nUNB\u008AUNOC:3+SENDER+RECIPIENT+260102:0304+REF1'\n" + messages + "UNZ+6+REF1'\n");
        foreach (var chunks in new[] { 2, 3, 6 })
        {
            AssertAgree(data, chunks);
        }
    }

    internal static void AssertAgree(byte[] data, int chunks)
    {
        using var one = new MemoryStream(data, 0, data.Length, writable: false, publiclyVisible: true);
        using var many = new MemoryStream(data, 0, data.Length, writable: false, publiclyVisible: true);
        var single = new Validation.EdifactValidator(Samples.Directories) { MinimumChunkedLength = 0, MaxChunks = 1 }.Validate(one);
        var chunked = new Validation.EdifactValidator(Samples.Directories) { MinimumChunkedLength = 0, MaxChunks = chunks }.Validate(many);
        ChunkedValidationTests.AssertSame(chunked, single, $"{chunks} chunks");
    }
}
