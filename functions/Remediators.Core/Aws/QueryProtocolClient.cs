using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>AWS Query protocol (IAM, ELBv2): form-encoded <c>Action</c> + parameters in, XML out.</summary>
public class QueryProtocolClient : AwsProtocolClient
{
    private static readonly Dictionary<string, string> NoHeaders = [];
    private readonly string _apiVersion;

    public QueryProtocolClient(AwsService service, string apiVersion, string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
        : base(service, region, credentials, http, retry, endpoint) => _apiVersion = apiVersion;

    /// <summary>Calls <paramref name="action"/> and returns its <c>&lt;ActionResult&gt;</c> element (empty when the API has none).</summary>
    public async Task<XElement> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new StringBuilder($"Action={Uri.EscapeDataString(action)}&Version={Uri.EscapeDataString(_apiVersion)}");
        foreach (var (name, value) in parameters)
            form.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        var body = await SendAsync(action, "application/x-www-form-urlencoded; charset=utf-8", Encoding.UTF8.GetBytes(form.ToString()), NoHeaders, cancellationToken);
        var root = XDocument.Parse(Encoding.UTF8.GetString(body)).Root!;
        return root.Elements().FirstOrDefault(e => e.Name.LocalName == $"{action}Result") ?? new XElement($"{action}Result");
    }
}

/// <summary>Namespace-agnostic reading of Query protocol XML.</summary>
public static class QueryXml
{
    public static string? Text(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    public static XElement? Child(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The <c>&lt;member&gt;</c> items of a list element.</summary>
    public static IEnumerable<XElement> Members(this XElement element, string listName) =>
        element.Child(listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];
}
