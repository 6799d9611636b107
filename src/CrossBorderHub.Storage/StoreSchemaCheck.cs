using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>The store's tables exist but one lacks a column this version writes: the message names the table, the column and the fix.</summary>
public sealed class StoreSchemaException(string message) : InvalidOperationException(message);

/// <summary>
/// Before migration: every column the schema script declares can be read from each table that exists already.
/// CREATE TABLE IF NOT EXISTS leaves a table an older version created as it was, and an index on a new column (or the
/// first insert) would then fail with a bare database error.
/// </summary>
internal static partial class StoreSchemaCheck
{
    [GeneratedRegex(@"^CREATE TABLE IF NOT EXISTS (\w+) \((.*)\)$", RegexOptions.Singleline)]
    private static partial Regex CreateTable();

    public static async Task CheckAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        await using var connection = dialect.CreateConnection();
        foreach (var statement in dialect.SchemaStatements)
        {
            // SQL Server wraps its CREATE TABLE in an IF; the check reads the portable form only.
            if (CreateTable().Match(statement.Trim()) is not { Success: true } match)
            {
                continue;
            }
            var table = match.Groups[1].Value;
            var columns = match.Groups[2].Value.Split('\n').Select(l => l.Trim().Split(' ')[0]).Where(c => c.Length > 0 && c != "CONSTRAINT").ToList();
            // A table not there yet is the migration's to create.
            if (!await ReadableAsync(connection, table, "1", cancellationToken) || await ReadableAsync(connection, table, string.Join(", ", columns), cancellationToken))
            {
                continue;
            }
            foreach (var column in columns)
            {
                if (!await ReadableAsync(connection, table, column, cancellationToken))
                {
                    throw new StoreSchemaException(
                        $"the store's table {table} was created by an older hub version and has no column {column}: " +
                        (table.StartsWith("hub_document", StringComparison.Ordinal)
                            ? "drop the document tables (DROP TABLE hub_documents; DROP TABLE hub_document_keys; DROP TABLE hub_document_daily;) and start again: they are filled again by new traffic, messages are kept"
                            : "migrate the table by hand or start on a fresh store") + ".");
                }
            }
        }
    }

    private static async Task<bool> ReadableAsync(DbConnection connection, string table, string columns, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteScalarAsync(new CommandDefinition($"SELECT {columns} FROM {table} WHERE 1 = 0", cancellationToken: cancellationToken));
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }
}
