//! `ANY /api/echo` and everything below it: reflects the request back as JSON
//! so that features can assert on what a client actually sent — method, path,
//! query, headers, raw body, and the body parsed as JSON, as an URL-encoded
//! form or as multipart form data with files.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::envelope::{bad_request, json_response};
use super::input::{decode_urlencoded, group_pairs, insert_grouped, media_type, read_body};

/// Echoes the request. Form and file maps are empty unless the body is of the
/// matching content type, and `json` is `null` unless the body parses as JSON.
pub(crate) async fn echo(request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match read_body(body).await {
        Ok(bytes) => bytes,
        Err(message) => return bad_request(&message),
    };

    let mut form = Map::new();
    let mut files = Map::new();
    match media_type(&parts.headers).as_str() {
        "application/x-www-form-urlencoded" => {
            form = group_pairs(decode_urlencoded(&String::from_utf8_lossy(&bytes)));
        }
        "multipart/form-data" => {
            if let Err(message) =
                read_multipart(&parts.headers, bytes.clone(), &mut form, &mut files).await
            {
                return bad_request(&format!("malformed multipart body: {message}"));
            }
        }
        _ => {}
    }

    let query = parts.uri.query().unwrap_or("");
    let parsed_json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    };
    json_response(
        StatusCode::OK,
        &json!({
            "method": parts.method.as_str(),
            "path": parts.uri.path(),
            "query": query,
            "args": group_pairs(decode_urlencoded(query)),
            "headers": headers_object(&parts.headers),
            "body": String::from_utf8_lossy(&bytes),
            "json": parsed_json,
            "form": form,
            "files": files,
        }),
    )
}

/// Request headers by their (already lower-case) names; a repeated header is
/// joined with ", " as HTTP allows for list-valued fields.
fn headers_object(headers: &HeaderMap) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        match map.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                map.insert(name.as_str().to_owned(), Value::String(value.into_owned()));
            }
        }
    }
    map
}

/// Splits a multipart body into plain fields (into `form`) and files (into
/// `files`). The body was already read for the `body` key, so it is replayed
/// through axum's multipart parser from memory.
async fn read_multipart(
    headers: &HeaderMap,
    bytes: Bytes,
    form: &mut Map<String, Value>,
    files: &mut Map<String, Value>,
) -> Result<(), String> {
    let mut replay = Request::new(Body::from(bytes));
    if let Some(content_type) = headers.get(CONTENT_TYPE) {
        replay
            .headers_mut()
            .insert(CONTENT_TYPE, content_type.clone());
    }
    let mut multipart = Multipart::from_request(replay, &())
        .await
        .map_err(|rejection| rejection.body_text())?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| err.body_text())?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let data = field.bytes().await.map_err(|err| err.body_text())?;
        let content = String::from_utf8_lossy(&data).into_owned();
        match file_name {
            Some(filename) => insert_grouped(
                files,
                name,
                json!({
                    "filename": filename,
                    "content_type": content_type,
                    "size": data.len(),
                    "content": content,
                }),
            ),
            None => insert_grouped(form, name, Value::String(content)),
        }
    }
    Ok(())
}
