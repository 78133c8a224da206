using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Followup.Activities.Data;

/// <summary>
/// What a query asks the database to work out that LINQ has no word for, so figures over a year are summed where the
/// rows are instead of read one by one. Each provider's context maps these to its own SQL.
/// </summary>
public static class StoreSql
{
    /// <summary>Whole milliseconds from <paramref name="from"/> to <paramref name="to"/>; null when either is null. Only in a query.</summary>
    public static double? MillisecondsBetween(DateTime? from, DateTime? to) =>
        throw new InvalidOperationException($"{nameof(MillisecondsBetween)} is worked out by the database, in a query only.");

    private static readonly System.Reflection.MethodInfo Between = typeof(StoreSql).GetMethod(nameof(MillisecondsBetween))!;

    /// <summary>
    /// Maps the functions for SQLite, where times are text: the difference of their Julian days, rounded to the
    /// millisecond (a Julian day's double is exact to about 50 µs).
    /// </summary>
    internal static void MapForSqlite(ModelBuilder modelBuilder)
    {
        var real = new DoubleTypeMapping("REAL");
        modelBuilder.HasDbFunction(Between).HasTranslation(args =>
            Round(Function("julianday", real, args[1]), Function("julianday", real, args[0]), 86_400_000, real));
    }

    /// <summary>Maps the functions for PostgreSQL: the difference of the times' epochs in seconds, rounded to the millisecond.</summary>
    internal static void MapForPostgres(ModelBuilder modelBuilder)
    {
        var real = new DoubleTypeMapping("double precision");
        var epoch = new SqlConstantExpression("epoch", new StringTypeMapping("text", System.Data.DbType.String));
        modelBuilder.HasDbFunction(Between).HasTranslation(args =>
            Round(Function("date_part", real, epoch, args[1]), Function("date_part", real, epoch, args[0]), 1_000, real));
    }

    /// <summary>A function of doubles, null when any argument is.</summary>
    private static SqlFunctionExpression Function(string name, RelationalTypeMapping real, params SqlExpression[] arguments) =>
        new(name, arguments, nullable: true, argumentsPropagateNullability: [.. arguments.Select(_ => true)], typeof(double), real);

    /// <summary><c>round((to - from) * scale)</c>, null when either side is.</summary>
    private static SqlFunctionExpression Round(SqlExpression to, SqlExpression from, double scale, RelationalTypeMapping real) =>
        Function("round", real, new SqlBinaryExpression(ExpressionType.Multiply,
            new SqlBinaryExpression(ExpressionType.Subtract, to, from, typeof(double), real),
            new SqlConstantExpression(scale, real), typeof(double), real));
}
