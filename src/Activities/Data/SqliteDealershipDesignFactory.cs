using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Followup.Activities.Data;

/// <summary>Used by <c>dotnet ef migrations add</c> only; they never connect.</summary>
public sealed class SqliteDealershipDesignFactory : IDesignTimeDbContextFactory<SqliteDealershipDbContext>
{
    public SqliteDealershipDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteDealershipDbContext>().UseSqlite("Data Source=design.db").Options);
}
