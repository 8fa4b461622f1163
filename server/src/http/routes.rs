//! A router that remembers its paths. The console and the keyed API are
//! built through it, so the tests that knock on every door as a stranger
//! walk the very list the router was built from: a route added tomorrow
//! is covered tomorrow, without anyone remembering to list it.

use axum::routing::MethodRouter;
use axum::Router;

pub struct Routes<S> {
    router: Router<S>,
    paths: Vec<&'static str>,
}

impl<S: Clone + Send + Sync + 'static> Default for Routes<S> {
    fn default() -> Self {
        Routes {
            router: Router::new(),
            paths: Vec::new(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static> Routes<S> {
    pub fn route(mut self, path: &'static str, method_router: MethodRouter<S>) -> Self {
        self.paths.push(path);
        self.router = self.router.route(path, method_router);
        self
    }

    /// The paths, in the order they were added.
    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    pub fn into_router(self) -> Router<S> {
        self.router
    }
}
