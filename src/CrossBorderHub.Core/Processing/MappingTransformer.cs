using System.Security.Cryptography;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Mapping;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// Route step "map:NAME": runs the version of the mapping in force (an edit applies to the next message), validates
/// the output against the mapping's target, and records a "mapped" event with the mapping's name, version and content
/// hash and the output's sha256 (the mapped blob, downloadable next to the original). A document the mapping cannot
/// map, or output that is not valid, rejects the message (<see cref="PayloadRejectedException"/>): nothing half-mapped
/// is ever signed or delivered.
/// </summary>
public sealed class MappingTransformer(MappingRegistry mappings, IMessageStore store, HubOptions hub, TimeProvider time,
    IEnumerable<IDocumentInspector> inspectors, ILogger<MappingTransformer> logger) : IPayloadTransformer
{
    public const string StepPrefix = "map:";

    private readonly MappedOutputValidator _validator = new(hub, time, inspectors);

    public bool Handles(string step) => step.StartsWith(StepPrefix, StringComparison.Ordinal);

    public async Task TransformAsync(TransformContext context, Stream input, Stream output, CancellationToken cancellationToken)
    {
        var name = context.Step[StepPrefix.Length..];
        var id = context.Message.Id;
        var mapping = mappings.Current(name) ?? throw new PayloadRejectedException(
            $"mapping '{name}' has no loadable version ({Describe(mappings.Find(name))}): fix mappings/{name}, then run 'hub replay {id}'", []);
        var d = mapping.Descriptor;
        var which = $"mapping {d.Name} version {d.Version} (sha256 {d.ContentHash})";
        // The mapped document goes to a file of its own first: it is validated whole before a byte reaches the step after.
        var temporary = Path.GetTempFileName();
        try
        {
            MappingOutcome outcome;
            await using (var mapped = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                await using var source = await SourceAsync(input, d.Source, which, id, cancellationToken);
                outcome = await Task.Run(() => mapping.Map(source, mapped, cancellationToken), cancellationToken);
            }
            if (!outcome.Succeeded)
            {
                var findings = outcome.Findings.Select(f => $"{which}: {PartnerText.Escape(f.SourcePath)}: {PartnerText.Escape(f.Message)}").ToList();
                throw new PayloadRejectedException(
                    $"{which} cannot map this document: {PartnerText.Escape(outcome.Findings[0].SourcePath)}: {PartnerText.Escape(outcome.Findings[0].Message)}; " +
                    $"the original is kept: correct the document (or the mapping), then run 'hub replay {id}'", findings);
            }
            var results = await _validator.ValidateAsync(d.Target, context.Message, () => File.OpenRead(temporary), cancellationToken);
            var errors = results.Where(f => f.Severity == FindingSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new PayloadRejectedException(
                    $"{which} produced output that is not valid {End(d.Target)}: {errors.Count} error(s); first: {errors[0]}; nothing was delivered: correct the mapping, then run 'hub replay {id}'",
                    errors.Take(50).Select(e => $"mapped output: {e}").ToList());
            }
            foreach (var warning in results.Where(f => f.Severity == FindingSeverity.Warning).Take(50))
            {
                await store.AddEventAsync(id, "warning", $"mapped output: {warning}", cancellationToken);
            }
            var (length, sha256) = await CopyAsync(temporary, output, cancellationToken);
            await store.AddEventAsync(id, "mapped", MappedEvent.Detail(d, context.DestinationPartner, length, sha256), cancellationToken);
            logger.LogInformation("Mapped {MessageId} with {Mapping} version {Version} for {Partner}", id, d.Name, d.Version, context.DestinationPartner);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The input, after checking it is in the mapping's source format (an EDIFACT file on an XML mapping says so plainly).</summary>
    private static async Task<Stream> SourceAsync(Stream input, MappingEnd source, string which, string id, CancellationToken cancellationToken)
    {
        var head = new byte[512];
        var read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var edifact = EdifactInspector.LooksLikeEdifact(head.AsSpan(0, read));
        if (edifact != (source.Format == "edifact"))
        {
            throw new PayloadRejectedException(
                $"{which} maps {End(source)}, but this document is {(edifact ? "EDIFACT" : "not EDIFACT")}: narrow the route (DocumentType) so only {source.Format} documents reach it, then run 'hub replay {id}'", []);
        }
        if (input.CanSeek)
        {
            input.Position = 0;
            return input;
        }
        // Blob streams are files; anything else is read whole once.
        var whole = new MemoryStream();
        await whole.WriteAsync(head.AsMemory(0, read), cancellationToken);
        await input.CopyToAsync(whole, cancellationToken);
        whole.Position = 0;
        return whole;
    }

    private static async Task<(long Length, string Sha256)> CopyAsync(string file, Stream output, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = File.OpenRead(file);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length += read;
        }
        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string End(MappingEnd end) => end.Standard is null ? end.Format : $"{end.Format} {end.Standard}";

    private static string Describe(MappingEntry? entry) => entry is null
        ? "no such folder under the mappings folder"
        : entry.Errors.Count > 0 ? entry.Errors[0].ToString() : "it did not load";
}
