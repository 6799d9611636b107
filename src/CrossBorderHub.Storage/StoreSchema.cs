using Dapper;

namespace CrossBorderHub.Storage;

/// <summary>
/// Creates or migrates the tables of the message store and the outbox. Neither port carries it: only the composition
/// root (`hub run`, and CLI verbs that may meet a database no hub has started on yet) migrates, before anything else.
/// </summary>
public sealed class StoreSchema(SqlDialect dialect)
{
    /// <summary>Safe to call on every start and from several instances at once (<see cref="SqlDialect.LockForMigrationSql"/>).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await StoreSchemaCheck.CheckAsync(dialect, cancellationToken);
        await using var connection = dialect.CreateConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.LockForMigrationSql is { } lockSql)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: transaction, cancellationToken: cancellationToken));
        }
        foreach (var statement in dialect.SchemaStatements)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        // Under the migration lock too: two instances starting together fill the rollup once.
        await using var rollup = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.LockForMigrationSql is { } again)
        {
            await connection.ExecuteAsync(new CommandDefinition(again, transaction: rollup, cancellationToken: cancellationToken));
        }
        await DocumentRollup.RebuildIfMissingAsync(connection, rollup, cancellationToken);
        await rollup.CommitAsync(cancellationToken);
    }
}
