using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Followup.Workflows.Persistence.Postgres;

/// <summary>The engine's tables on PostgreSQL, with their own migrations (the SQLite ones belong to <see cref="WorkflowDbContext"/>).</summary>
public sealed class PostgresWorkflowDbContext(DbContextOptions<PostgresWorkflowDbContext> options) : WorkflowDbContext(options);

/// <summary>Hands out the provider's context as the engine's <see cref="WorkflowDbContext"/>.</summary>
internal sealed class PostgresContextFactory(IDbContextFactory<PostgresWorkflowDbContext> inner) : IDbContextFactory<WorkflowDbContext>
{
    public WorkflowDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<WorkflowDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}

/// <summary>Used by <c>dotnet ef migrations add --context PostgresWorkflowDbContext</c> only; it never connects.</summary>
public sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresWorkflowDbContext>
{
    public PostgresWorkflowDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresWorkflowDbContext>().UseNpgsql("Host=localhost;Database=followup_design").Options);
}
