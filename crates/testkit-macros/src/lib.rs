//! `#[db_test]`: one async test body, run as two `#[tokio::test]`s — `name::sqlite` and
//! `name::postgres` — each on a fresh database (see `woolly_testkit::TestApp`).
//!
//! ```ignore
//! #[db_test]
//! async fn shows_the_account(app: TestApp) { ... }
//!
//! #[db_test(config = |cfg| cfg.rate_limits = false)]
//! async fn limits_can_be_switched_off(app: TestApp) { ... }
//!
//! #[db_test(sqlite_only = "reads SQLite's query plan")]
//! async fn reads_through_indexes(app: TestApp) { ... }
//! ```
//!
//! Without `TEST_DATABASE_URL` at build time the PostgreSQL half is `#[ignore]`d with the
//! reason, so `cargo test` counts it as ignored rather than passed (see build.rs).

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::parse::Parser;
use syn::{Expr, FnArg, ItemFn, LitStr, Pat, parse_macro_input};

/// Options in `#[db_test(...)]`.
#[derive(Default)]
struct Options {
    /// `config = |cfg| ...`: tweaks the test `Config` before the app starts.
    config: Option<Expr>,
    /// `sqlite_only = "why"`: no PostgreSQL half (the test reads something only SQLite has).
    sqlite_only: Option<LitStr>,
}

#[proc_macro_attribute]
pub fn db_test(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut options = Options::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("config") {
            options.config = Some(meta.value()?.parse()?);
            Ok(())
        } else if meta.path.is_ident("sqlite_only") {
            options.sqlite_only = Some(meta.value()?.parse()?);
            Ok(())
        } else {
            Err(meta.error("expected `config = |cfg| ...` or `sqlite_only = \"reason\"`"))
        }
    });
    if let Err(e) = parser.parse(args) {
        return e.to_compile_error().into();
    }
    let item = parse_macro_input!(item as ItemFn);
    expand(options, item)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn expand(options: Options, item: ItemFn) -> syn::Result<TokenStream2> {
    let sig = &item.sig;
    if sig.asyncness.is_none() {
        return Err(syn::Error::new_spanned(
            sig.fn_token,
            "#[db_test] needs an `async fn`",
        ));
    }
    let (app, app_type) = app_parameter(&item)?;
    let name = &sig.ident;
    let output = &sig.output;
    let body = &item.block;
    let (docs, attrs): (Vec<_>, Vec<_>) = item.attrs.iter().partition(|a| a.path().is_ident("doc"));
    let config = options
        .config
        .as_ref()
        .map_or_else(|| quote!(|_| {}), |tweak| quote!(#tweak));

    let half = |backend: &str, extra: TokenStream2| {
        let test = format_ident!("{backend}");
        let start = format_ident!("{backend}_with");
        quote! {
            #(#attrs)*
            #extra
            #[::tokio::test]
            async fn #test() #output {
                let #app: #app_type = ::woolly_testkit::TestApp::#start(#config).await;
                #body
            }
        }
    };
    let sqlite = half("sqlite", TokenStream2::new());
    let postgres = if options.sqlite_only.is_some() {
        TokenStream2::new()
    } else {
        let already_ignored = attrs.iter().any(|a| a.path().is_ident("ignore"));
        let skip = if cfg!(woolly_pg) || already_ignored {
            TokenStream2::new()
        } else {
            quote!(#[ignore = "TEST_DATABASE_URL is not set"])
        };
        half("postgres", skip)
    };
    Ok(quote! {
        #(#docs)*
        mod #name {
            #[allow(unused_imports)]
            use super::*;

            #sqlite
            #postgres
        }
    })
}

/// `#[needs_env("TEST_REDIS_URL")]` on a test that needs a service named by a variable: when
/// the variable was not set at build time, the test is `#[ignore]`d with that reason, so
/// `cargo test` counts it as ignored instead of letting it pass without running. The test
/// still reads the variable's value at run time.
#[proc_macro_attribute]
pub fn needs_env(args: TokenStream, item: TokenStream) -> TokenStream {
    let var = parse_macro_input!(args as LitStr);
    let Some(set) = env_set_at_build(&var.value()) else {
        return syn::Error::new_spanned(
            &var,
            "#[needs_env] knows TEST_DATABASE_URL, TEST_REDIS_URL and TEST_S3_ENDPOINT (add others to build.rs)",
        )
        .into_compile_error()
        .into();
    };
    let item = TokenStream2::from(item);
    if set {
        return item.into();
    }
    let reason = format!("{} is not set", var.value());
    quote!(#[ignore = #reason] #item).into()
}

/// Whether `name` was set (and not empty) when this crate was built; `None` for a variable
/// build.rs does not watch.
fn env_set_at_build(name: &str) -> Option<bool> {
    let value = match name {
        "TEST_DATABASE_URL" => option_env!("TEST_DATABASE_URL"),
        "TEST_REDIS_URL" => option_env!("TEST_REDIS_URL"),
        "TEST_S3_ENDPOINT" => option_env!("TEST_S3_ENDPOINT"),
        _ => return None,
    };
    Some(value.is_some_and(|v| !v.is_empty()))
}

/// The one `name: Type` parameter the test body receives its app as.
fn app_parameter(item: &ItemFn) -> syn::Result<(&syn::Ident, &syn::Type)> {
    let inputs = &item.sig.inputs;
    let wrong =
        || syn::Error::new_spanned(inputs, "#[db_test] takes one parameter: `app: TestApp`");
    let (Some(FnArg::Typed(param)), 1) = (inputs.first(), inputs.len()) else {
        return Err(wrong());
    };
    let Pat::Ident(pat) = param.pat.as_ref() else {
        return Err(wrong());
    };
    Ok((&pat.ident, param.ty.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(options: Options, item: &str) -> String {
        let item = syn::parse_str::<ItemFn>(item).unwrap();
        expand(options, item).unwrap().to_string()
    }

    #[test]
    fn two_halves_with_the_attributes_on_both() {
        let out = expanded(
            Options::default(),
            "#[should_panic] async fn shows(app: TestApp) { app.get().await; }",
        );
        assert!(out.contains("mod shows"), "{out}");
        assert!(out.contains("async fn sqlite ()"), "{out}");
        assert!(out.contains("async fn postgres ()"), "{out}");
        assert_eq!(out.matches("# [should_panic]").count(), 2, "{out}");
        assert!(out.contains("TestApp :: sqlite_with (| _ | { })"), "{out}");
    }

    #[test]
    fn the_postgres_half_is_ignored_without_a_url() {
        let out = expanded(Options::default(), "async fn shows(app: TestApp) {}");
        let ignored = out.contains("TEST_DATABASE_URL is not set");
        assert_eq!(ignored, !cfg!(woolly_pg), "{out}");
    }

    #[test]
    fn config_and_sqlite_only() {
        let options = Options {
            config: Some(syn::parse_str("|cfg| cfg.rate_limits = false").unwrap()),
            sqlite_only: Some(syn::parse_str("\"plans\"").unwrap()),
        };
        let out = expanded(options, "async fn plans(app: TestApp) {}");
        assert!(
            out.contains("sqlite_with (| cfg | cfg . rate_limits = false)"),
            "{out}"
        );
        assert!(!out.contains("postgres"), "{out}");
    }

    #[test]
    fn refuses_what_it_cannot_run() {
        let sync = syn::parse_str::<ItemFn>("fn shows(app: TestApp) {}").unwrap();
        assert!(expand(Options::default(), sync).is_err());
        let two = syn::parse_str::<ItemFn>("async fn shows(a: TestApp, b: u8) {}").unwrap();
        assert!(expand(Options::default(), two).is_err());
    }
}
