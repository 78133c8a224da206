using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Data;

public sealed class SqliteDealershipDbContext(DbContextOptions<SqliteDealershipDbContext> options) : DealershipDbContext(options);
