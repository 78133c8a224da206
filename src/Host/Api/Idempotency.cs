using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Api;

/// <summary>
/// <c>Idempotency-Key</c> on the create endpoints: the first request with a key stores its answer in the same
/// transaction as what it created; a repeat with the same key and body gets that answer again and creates nothing
/// (a DMS retrying after a lost answer); the same key with another body is refused. Keys are the caller's own and
/// kept for a week.
/// </summary>
public sealed class Idempotency
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);

    private readonly string _scope;
    private readonly string _key;
    private readonly string _hash;
    private readonly JsonSerializerOptions _json;

    private Idempotency(string scope, string key, string hash, JsonSerializerOptions json) => (_scope, _key, _hash, _json) = (scope, key, hash, json);

    /// <summary>
    /// Reads the key of a request. Gives the stored answer to replay when the key was used before, a problem when the
    /// key is malformed or was used with another body, and otherwise the key to record with what the request creates
    /// (null without a key).
    /// </summary>
    public static async Task<(Idempotency? Key, IdempotentAnswer? Answer)> BeginAsync(HttpContext context, DealershipDbContext db, object input, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers[Header];
        if (header.Count == 0)
            return (null, null);
        var key = header.ToString();
        if (header.Count > 1 || key.Length is 0 or > 255 || key.Any(c => c is < ' ' or > '~'))
            return (null, new IdempotentAnswer(TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Header] = ["The Idempotency-Key is one value of 1–255 printable ASCII characters."] })));
        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var scope = $"{CustomersApi.Actor(context)} {context.Request.Method} {context.Request.Path}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input, input.GetType(), json)));
        var idempotency = new Idempotency(scope, key, hash, json);
        return (idempotency, await idempotency.StoredAnswerAsync(db, context, cancellationToken));
    }

    private async Task<IdempotentAnswer?> StoredAnswerAsync(DealershipDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var stored = await db.IdempotentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == _scope && r.Key == _key, cancellationToken);
        if (stored is null)
            return null;
        if (stored.RequestHash != _hash)
        {
            return new IdempotentAnswer(TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "This Idempotency-Key was used for another request",
                detail: "Send a new key for a new request; repeat a request only with its own key and body."));
        }
        if (stored.Location != null)
            context.Response.Headers.Location = stored.Location;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        return new IdempotentAnswer(TypedResults.Text(stored.Response, "application/json; charset=utf-8", Encoding.UTF8, stored.StatusCode));
    }

    /// <summary>Adds the answer to the context, to be saved with what the request created.</summary>
    public void Record(DealershipDbContext db, int statusCode, string? location, object response, DateTime at) =>
        db.IdempotentRequests.Add(new IdempotentRequest
        {
            Scope = _scope,
            Key = _key,
            RequestHash = _hash,
            StatusCode = statusCode,
            Location = location,
            Response = JsonSerializer.Serialize(response, response.GetType(), _json),
            CreatedAt = at,
        });

    /// <summary>After a save failed: the answer a request with the same key got meanwhile (it ran at the same moment), if any.</summary>
    public async Task<IdempotentAnswer?> ConcurrentAnswerAsync(IDbContextFactory<DealershipDbContext> factory, HttpContext context, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await StoredAnswerAsync(db, context, cancellationToken);
    }

    /// <summary>
    /// Runs a create that saves what it made with the key's answer (<see cref="Record"/>). When a request with the same
    /// key saved first (both ran at the same moment), its answer is given instead of an error.
    /// </summary>
    public static async Task<(T? Created, IdempotentAnswer? Answer)> CreateAsync<T>(HttpContext context, IDbContextFactory<DealershipDbContext> factory,
        Idempotency? key, Func<Task<T>> create, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return (await create(), null);
        }
        catch (DbUpdateException) when (key != null)
        {
            if (await key.ConcurrentAnswerAsync(factory, context, cancellationToken) is { } answer)
                return (null, answer);
            throw;
        }
    }

    /// <summary>Keys older than <see cref="KeptFor"/> are forgotten.</summary>
    public static Task<int> ForgetOldAsync(DealershipDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var before = now - KeptFor;
        return db.IdempotentRequests.Where(r => r.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}
