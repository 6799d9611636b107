namespace CrossBorderHub.Core.Mapping;

/// <summary>
/// One loaded mapping configuration (a folder under mappings/): turns a source document into the target format.
/// Compiled once per version; <see cref="Map"/> is called for every message and must be safe to call concurrently.
/// </summary>
public interface IMapping
{
    MappingDescriptor Descriptor { get; }

    /// <summary>
    /// Reads the source document from <paramref name="source"/> and writes the mapped document to
    /// <paramref name="target"/>. A document the mapping cannot map (a mandatory source value missing) is an outcome,
    /// not an exception: the caller then discards whatever was written, so nothing is delivered half-mapped.
    /// </summary>
    MappingOutcome Map(Stream source, Stream target, CancellationToken cancellationToken);
}
