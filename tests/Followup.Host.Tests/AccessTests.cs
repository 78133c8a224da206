using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Followup.Host.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

/// <summary>
/// Who may call what, built from the app's own endpoint list: every endpoint is in the table below (a new one fails
/// the test until it is given its row), every one needs sign-in unless it is on the allow-list, and each caller —
/// anonymous, each staff role, an integration's API key — is let in exactly where its row says. Every state-changing
/// staff request is refused without the antiforgery token.
/// </summary>
public sealed class AccessTests
{
    private const string Anonymous = "anonymous";
    private const string Key = "api-key";
    private static readonly string[] Callers = [Anonymous, Roles.Manager, Roles.Advisor, Roles.Technician, Roles.TechnicalLead, Roles.CallbackAgent, Key];

    private static readonly string[] Everyone = [Anonymous, Roles.Manager, Roles.Advisor, Roles.Technician, Roles.TechnicalLead, Roles.CallbackAgent, Key];
    private static readonly string[] Staff = [Roles.Manager, Roles.Advisor, Roles.Technician, Roles.TechnicalLead, Roles.CallbackAgent];
    private static readonly string[] StaffAndKey = [.. Staff, Key];
    private static readonly string[] Desk = [Roles.Manager, Roles.Advisor, Key];
    private static readonly string[] ManagersAndKey = [Roles.Manager, Key];
    private static readonly string[] Managers = [Roles.Manager];
    private static readonly string[] Talkers = [Roles.Manager, Roles.Advisor, Roles.CallbackAgent];
    private static readonly string[] DeskStaff = [Roles.Manager, Roles.Advisor];

    /// <summary>The allow-list (<see cref="Everyone"/>) and every staff endpoint's callers, by method and route.</summary>
    private static readonly Dictionary<string, string[]> Expected = new(StringComparer.Ordinal)
    {
        ["GET /"] = Everyone,
        ["GET /account/login"] = Everyone,
        ["POST /account/login"] = Everyone,
        ["POST /account/logout"] = Everyone,
        ["GET /account/denied"] = Everyone,
        ["GET /health/live"] = Everyone,
        ["GET /health/ready"] = Everyone,
        ["GET /c/{token}"] = Everyone,
        ["POST /c/{token}"] = Everyone,
        ["GET /c/book/{token}"] = Everyone,
        ["POST /c/book/{token}"] = Everyone,
        ["POST /twilio/status"] = Everyone,
        ["POST /twilio/inbound"] = Everyone,
        ["GET /s/{code}"] = Everyone,
        ["POST /sms/aliyun/report"] = Everyone,
        ["POST /sms/aliyun/reply"] = Everyone,
        ["POST /sms/tencent/report"] = Everyone,
        ["POST /sms/tencent/reply"] = Everyone,
        ["GET /workflows/{**path}"] = Everyone,
        ["GET /staff.css"] = Everyone,
        ["GET /favicon.svg"] = Everyone,
        ["GET /favicon.ico"] = Everyone,

        ["GET /designer/"] = Managers,
        ["GET /designer/edit/{definitionId}"] = Managers,
        ["GET /designer/instances"] = Managers,
        ["GET /designer/instances/{id}"] = Managers,
        ["GET /designer/workflows/instances/{id}/view"] = Managers,
        ["POST /designer/instances/{id}/retry"] = Managers,
        ["GET /dashboard"] = Managers,
        ["GET /staff/"] = Managers,
        ["GET /settings/"] = Managers,
        ["POST /settings/"] = Managers,
        ["POST /staff/"] = Managers,
        ["GET /staff/{userName}"] = Managers,
        ["POST /staff/{userName}"] = Managers,
        ["GET /account/password/"] = Staff,
        ["POST /account/password/"] = Staff,
        ["GET /api/kpis"] = ManagersAndKey,
        ["GET /api/messages"] = ManagersAndKey,
        ["GET /api/audit"] = ManagersAndKey,
        ["PUT /api/catalog/{code}"] = ManagersAndKey,
        ["GET /messages"] = Talkers,
        ["GET /board"] = Staff,
        ["GET /visits/{correlationId}"] = Staff,
        ["POST /visits/{correlationId}/approvals/{approvalId}/resend"] = DeskStaff,
        ["GET /visits/{correlationId}/approvals/{approvalId}/counter"] = DeskStaff,
        ["POST /visits/{correlationId}/approvals/{approvalId}/counter"] = DeskStaff,
        ["GET /desk/"] = DeskStaff,
        ["POST /desk/appointments/{id}/{action}"] = DeskStaff,
        ["GET /desk/customers/new"] = DeskStaff,
        ["POST /desk/customers"] = DeskStaff,
        ["GET /desk/customers/{id}"] = DeskStaff,
        ["POST /desk/customers/{id}"] = DeskStaff,
        ["POST /desk/customers/{id}/vehicles"] = DeskStaff,
        ["POST /desk/vehicles/{id}/book"] = DeskStaff,
        ["POST /desk/vehicles/{id}"] = DeskStaff,
        ["POST /desk/vehicles/{id}/visit"] = DeskStaff,
        ["GET /inbox/"] = Staff,
        ["GET /inbox/{id}"] = Staff,
        ["POST /inbox/{id}"] = Staff,
        ["POST /inbox/{id}/claim"] = Staff,
        ["POST /inbox/{id}/release"] = Staff,
        ["POST /inbox/{id}/reassign"] = Managers,
        ["GET /api/tasks/"] = Staff,
        ["POST /api/tasks/{id}/claim"] = Staff,
        ["POST /api/tasks/{id}/release"] = Staff,
        ["POST /api/tasks/{id}/reassign"] = Managers,
        ["POST /api/tasks/{id}/complete"] = Staff,
        ["GET /attachments/{id}"] = Staff,
        ["POST /api/attachments"] = Staff,
        ["GET /openapi/{documentName}.json"] = StaffAndKey,
        ["GET /api/catalog"] = Desk,
        ["GET /api/customers"] = Desk,
        ["GET /api/customers/{id}"] = Desk,
        ["POST /api/customers"] = Desk,
        ["POST /api/vehicles"] = Desk,
        ["POST /api/vehicles/{id}/mileage"] = Desk,
        ["POST /api/visits"] = Desk,
        ["POST /api/visits/{id}/comeback"] = Desk,
        ["POST /api/appointments/{id}/cancel"] = Desk,
        ["POST /api/appointments/{id}/reschedule"] = Desk,
        ["GET /api/visits/{id}"] = Desk,
        ["POST /api/visits/{id}/status"] = Desk,
        ["POST /api/appointments"] = Desk,
        ["GET /api/appointments"] = Desk,
        ["POST /api/appointments/{id}/arrive"] = Desk,
        ["POST /api/approvals/{id}/decision"] = Desk,
    };

    /// <summary>The Elsa API: managers (and the designer's token) and API keys, nobody else.</summary>
    private static string[] ExpectedFor(string key) =>
        Expected.TryGetValue(key, out var callers) ? callers
        : key.Split(' ')[1].StartsWith("/elsa/api/", StringComparison.Ordinal) ? ManagersAndKey
        : throw new Xunit.Sdk.XunitException($"The endpoint {key} has no row in the access table: decide who may call it.");

    private static async Task<(HostFactory Host, Dictionary<string, HttpClient> Clients)> OpenAsync(bool antiforgery = true)
    {
        var host = new HostFactory();
        var clients = new Dictionary<string, HttpClient>
        {
            [Anonymous] = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }),
            [Key] = ApiKeyClient(host),
        };
        foreach (var role in Roles.All)
        {
            var user = role.ToLowerInvariant();
            await host.AddStaffAsync(user, $"{user}-pass-2026", role);
            clients[role] = await host.SignedInAsync(user, $"{user}-pass-2026", sendAntiforgeryToken: antiforgery);
        }
        return (host, clients);
    }

    private static HttpClient ApiKeyClient(HostFactory host)
    {
        var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", HostFactory.ApiKey);
        return client;
    }

    /// <summary>Signing out is tried last: it ends the session the other requests use.</summary>
    private const string SignOut = "POST /account/logout";

    private static List<(string Key, string Method, string Path)> Endpoints(HostFactory host) =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (e, m)))
            .Select(x => ($"{x.m} {x.e.RoutePattern.RawText}", x.m, Fill(x.e.RoutePattern.RawText!)))
            .DistinctBy(x => x.Item1).OrderBy(x => x.Item1 == SignOut).ThenBy(x => x.Item1, StringComparer.Ordinal).ToList();

    /// <summary>A route with its parameters filled in ("x", or a number where the route wants one).</summary>
    private static string Fill(string pattern) =>
        "/" + System.Text.RegularExpressions.Regex.Replace(pattern.TrimStart('/'), @"\{(\w+)(:int)?\}", m => m.Groups[2].Success ? "1" : "x")
            .Replace("x.json", "v1.json", StringComparison.Ordinal);

    /// <summary>
    /// An allow-listed endpoint must not send anyone to sign in; any other refuses (401, 403, or the sign-in or refusal
    /// page) every caller outside its row. (An allow-listed endpoint may still say no for its own reasons: a webhook
    /// without the provider's signature, the refusal page itself.)
    /// </summary>
    private static bool Refused(HttpResponseMessage response, bool allowListed)
    {
        var to = response.StatusCode == HttpStatusCode.Redirect ? response.Headers.Location?.OriginalString ?? "" : "";
        if (allowListed)
            return response.StatusCode == HttpStatusCode.Unauthorized || to.Contains("/account/login?", StringComparison.Ordinal);
        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || to.Contains("/account/login", StringComparison.Ordinal) || to.Contains("/account/denied", StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task Every_endpoint_needs_sign_in_except_the_allow_list_and_each_caller_reaches_exactly_its_rows()
    {
        var (host, clients) = await OpenAsync();
        await using var _ = host;
        var endpoints = Endpoints(host);
        Assert.True(endpoints.Count > 60, $"only {endpoints.Count} endpoints found");
        var wrong = new List<string>();
        foreach (var (key, method, path) in endpoints)
        {
            var allowed = ExpectedFor(key);
            foreach (var caller in Callers)
            {
                using var response = await clients[caller].SendAsync(Request(method, path));
                if (Refused(response, allowed == Everyone) == allowed.Contains(caller) || (int)response.StatusCode >= 500)
                    wrong.Add($"{key} as {caller}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
        Assert.True(wrong.Count == 0, "Access differs from the table:\n" + string.Join("\n", wrong));
        foreach (var row in Expected.Keys)
            Assert.Contains(endpoints, e => e.Key == row);
    }

    [Fact]
    public async Task Every_state_changing_staff_request_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var (host, clients) = await OpenAsync(antiforgery: false);
        await using var _ = host;
        var manager = clients[Roles.Manager];
        var checkedCount = 0;
        foreach (var (key, method, path) in Endpoints(host).Where(e => e.Method is "POST" or "PUT" or "DELETE" or "PATCH"))
        {
            // Provider webhooks take no token (a provider cannot have one); they check the provider's signature or secret.
            if (key.StartsWith("POST /twilio/", StringComparison.Ordinal) || key.StartsWith("POST /sms/", StringComparison.Ordinal))
                continue;
            foreach (var body in new HttpContent?[] { new StringContent("{}", Encoding.UTF8, "application/json"), new FormUrlEncodedContent([]), null })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
                using var response = await manager.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{key} without a token ({request.Content?.Headers.ContentType}) answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Assert.Contains("did not come from this site", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            checkedCount++;
        }
        Assert.True(checkedCount > 25, $"only {checkedCount} state-changing endpoints were checked");

        // With the page's token the same client gets through (a refusal above was the token's, not something else's).
        var token = HostFactory.AntiforgeryToken(await manager.GetStringAsync("/"));
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/customers") { Content = new StringContent("""{ "name": "Token Test", "phone": "+8613900001111" }""", Encoding.UTF8, "application/json") };
        withToken.Headers.Add(HttpSecurity.AntiforgeryHeader, token);
        Assert.Equal(HttpStatusCode.Created, (await manager.SendAsync(withToken)).StatusCode);
    }
}
