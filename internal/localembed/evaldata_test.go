package localembed

// The retrieval evaluation: short reference passages on Django topics and questions a candidate might
// ask, phrased on purpose with other words than the passage they should find. The queries come in two
// sets: tuneQueries were used while choosing features, weights and synonyms; heldOutQueries were
// written before the embedder existed and were only measured, so their figures say how the embedder
// does on wording nobody fitted it to.

// evalPassage is one retrievable reference passage.
type evalPassage struct {
	id   string
	text string
}

// evalQuery is a question and the id of the passage that answers it.
type evalQuery struct {
	text string
	want string
}

var evalPassages = []evalPassage{
	{"n_plus_one", "Accessing a related object inside a loop makes Django issue a separate SQL query for every row, the classic N+1 problem. select_related follows foreign keys and one-to-one relations with a SQL JOIN so the related rows arrive in the same query. prefetch_related runs one extra query per relation and joins the results in Python, which is how you handle many-to-many and reverse foreign key relations."},
	{"csrf", "Cross-site request forgery tricks a logged-in browser into submitting a request the user never intended. Django's CsrfViewMiddleware guards against it by requiring a secret token on every unsafe request such as POST; templates include it with the csrf_token tag and JavaScript clients send it in the X-CSRFToken header. Views can opt out with csrf_exempt, which should be rare."},
	{"middleware", "Middleware is a chain of hooks that wrap every request and response. Each class listed in the MIDDLEWARE setting receives the request on the way in, can short-circuit by returning a response, and sees the response on the way out, in reverse order. Typical uses are authentication, sessions, security headers, compression and request logging."},
	{"signals", "Signals let decoupled parts of a project react when something happens elsewhere, for example post_save after a model instance is stored or pre_delete before it is removed. A receiver function is connected with the receiver decorator. Signals run synchronously in the same transaction, are easy to overlook when reading code, and are not fired by bulk operations like update() or bulk_create()."},
	{"migrations", "Migrations are versioned files that describe changes to the database schema. makemigrations compares the models with the previous migration state and writes new migration files; migrate applies the pending ones and records them in the django_migrations table. Data migrations use RunPython to transform existing rows, and migrations can be squashed when there are too many."},
	{"caching", "Django's cache framework stores expensive results so later requests can reuse them. Backends include Memcached, Redis, the database and local memory. You can cache a whole site with middleware, a single view with cache_page, a template fragment with the cache tag, or arbitrary values with the low-level cache.get and cache.set API, always choosing a timeout and an invalidation strategy."},
	{"queryset_laziness", "QuerySets are lazy: building one with filter, exclude or order_by does not touch the database. The SQL is executed only when the QuerySet is evaluated, for instance by iterating, slicing with a step, calling len() or list(), or testing it in a boolean context. Results are then cached on that QuerySet, so chaining filters is cheap and reusing an evaluated QuerySet avoids repeat queries."},
	{"custom_user", "Start every new project with a custom user model, because swapping it later is painful. Subclass AbstractUser to keep the default fields and add your own, or AbstractBaseUser with PermissionsMixin for full control such as logging in with an email instead of a username. Point AUTH_USER_MODEL at it before the first migration and refer to it through get_user_model() or settings.AUTH_USER_MODEL."},
	{"celery", "Long-running work such as sending emails, resizing images or calling slow third-party APIs should not block the request. Celery moves it to background workers: the view puts a task on a broker like RabbitMQ or Redis and returns immediately, and a worker process picks the task up. Celery also supports retries, scheduled periodic tasks with beat, and storing results."},
	{"asgi", "WSGI is the traditional synchronous interface between Python web servers and applications, handling one request per thread. ASGI is its asynchronous successor: it supports async def views, long-lived connections such as WebSockets through Django Channels, and servers like Uvicorn or Daphne. Synchronous ORM calls inside async code must be wrapped with sync_to_async."},
	{"null_blank", "null=True is about the database: the column may store NULL. blank=True is about validation: forms and the admin accept an empty value for the field. For string fields the convention is to avoid null=True and store an empty string instead, so there is only one way to represent no data."},
	{"static_media", "Static files are the assets shipped with the code, such as CSS, JavaScript and images of the design; collectstatic gathers them into STATIC_ROOT for the web server. Media files are uploaded by users at run time and saved under MEDIA_ROOT, served from MEDIA_URL. In production neither should be served by Django itself, but by a web server like nginx or a CDN."},
	{"drf_serializers", "In Django REST Framework a serializer converts model instances and querysets into JSON-friendly data and back. ModelSerializer generates fields from a model, validates incoming payloads with is_valid(), and creates or updates instances through save(). Nested serializers and SerializerMethodField shape the output of an API."},
	{"fbv_cbv", "Function-based views are plain functions that take a request and return a response, explicit and easy to read. Class-based views organise the handling of each HTTP method in a method of a class and can be extended through inheritance and mixins; generic views like ListView, DetailView and CreateView remove boilerplate for common patterns."},
	{"forms", "Django forms validate untrusted input. Calling is_valid() runs each field's own checks, then clean_<field> methods for single fields and clean() for rules involving several fields; errors are collected in form.errors and valid values land in cleaned_data. ModelForm builds the fields from a model and can save the instance directly."},
	{"sessions", "HTTP is stateless, so Django keeps per-visitor state in sessions. The browser holds only a session id cookie, and the data lives on the server in the database, the cache, signed cookies or files depending on SESSION_ENGINE. request.session behaves like a dictionary, and the session key is rotated at login to prevent fixation."},
	{"f_expressions", "F() expressions refer to a field's value inside the database, so Product.objects.filter(pk=1).update(stock=F('stock') - 1) is done by a single UPDATE statement. This avoids race conditions where two requests read the same value in Python, change it and write it back, losing one of the changes. select_for_update() is the alternative when rows must be locked."},
	{"transactions", "By default Django runs in autocommit mode, each query committing immediately. transaction.atomic wraps a block so that all its database changes are committed together or rolled back if an exception escapes; nested atomic blocks create savepoints. ATOMIC_REQUESTS wraps every view in a transaction, and on_commit schedules work to happen only after a successful commit."},
	{"indexes", "An index lets the database find rows without scanning the entire table, which speeds up filtering, ordering and joins on large tables. In Django you add db_index=True to a field or list Index objects in Meta.indexes, including composite and partial indexes. Indexes cost disk space and slow down writes, so add them for the columns your queries actually look up."},
	{"xss", "Cross-site scripting happens when user-supplied text is rendered as HTML and runs as script in other visitors' browsers. Django templates escape variables automatically, turning characters like < and & into entities. Marking a string with mark_safe or the safe filter turns this protection off, so only do it for content you trust."},
	{"sql_injection", "SQL injection lets an attacker change a query by smuggling SQL into input. The ORM always passes values as parameters, so ordinary querysets are safe. The danger comes back with raw(), extra() or cursor.execute() when strings are built by formatting user input into the SQL; pass parameters separately instead of using f-strings."},
	{"model_inheritance", "Django offers three kinds of model inheritance. Abstract base classes share fields and methods but create no table of their own. Multi-table inheritance gives each model its own table linked by an implicit one-to-one key, which costs a join on every read. Proxy models change Python behaviour such as ordering or methods without changing the table."},
	{"urls", "The URL dispatcher maps request paths to views through the urlpatterns list in urls.py. path() uses converters like <int:pk> to capture parts of the URL and pass them as arguments, re_path() accepts regular expressions, and include() mounts the URL configuration of an app. Naming patterns lets reverse() and the url template tag build links without hard-coding them."},
	{"settings", "Settings should differ per environment and keep secrets out of the repository. Read SECRET_KEY, database passwords and API keys from environment variables, never leave DEBUG = True in production because it leaks stack traces, and set ALLOWED_HOSTS. Running manage.py check --deploy lists settings that are unsafe for a live site."},
	{"testing", "Django's test runner builds a separate test database and wraps each TestCase test in a transaction that is rolled back afterwards, so tests stay isolated. The test Client sends fake requests to views without a running server, assertNumQueries checks how many queries code issues, and setUpTestData creates shared fixtures once per class."},
	{"admin", "The admin site gives staff a ready-made interface to manage data. Registering a ModelAdmin customises it: list_display picks the columns on the change list, list_filter and search_fields add sidebar filters and a search box, and inlines edit related objects on the same page. It is meant for internal staff, not as the public front end."},
	{"permissions", "Authentication establishes who the user is; authorization decides what they may do. Django creates add, change, delete and view permissions for every model, which can be given to users directly or through groups and checked with user.has_perm(). Views are protected with login_required and permission_required decorators or the LoginRequiredMixin and PermissionRequiredMixin classes."},
	{"pagination", "Returning thousands of rows in one page is slow and unusable, so lists are split into pages. Django's Paginator takes a queryset and a page size and returns Page objects with the items of one page and flags like has_next. The queryset is sliced with LIMIT and OFFSET, so only the rows of the current page are loaded; for very deep pages keyset pagination is faster."},
	{"aggregation", "aggregate() computes a summary over a whole queryset and returns a dictionary, such as the average price of all books. annotate() attaches a computed value to every object, such as the number of comments of each post using Count('comments'). Both push the calculation into SQL with GROUP BY instead of looping over objects in Python."},
	{"q_objects", "Keyword arguments passed to filter() are combined with AND. To express OR conditions or negation, wrap lookups in Q objects and combine them with |, & and ~, for example Q(status='draft') | Q(author=user). Q objects can also be built dynamically from a list of search terms."},
}

// heldOutQueries were written first and never tuned against.
var heldOutQueries = []evalQuery{
	{"my blog index page gets slower with every article because each post's writer is looked up individually - how do I fix that?", "n_plus_one"},
	{"a malicious website makes a signed-in visitor's browser post a form to my app; what does Django do to stop it?", "csrf"},
	{"how can I trigger some code automatically whenever a record gets saved, without editing the save method?", "signals"},
	{"how does Django keep the table structure in sync as my models evolve over time?", "migrations"},
	{"sending a welcome email makes the signup request hang for several seconds, how should I offload it?", "celery"},
	{"when does the ORM actually hit the database if I just chain a few filter calls?", "queryset_laziness"},
	{"I want people to sign in using their email address instead of a username, what should I set up?", "custom_user"},
	{"how do I serve websockets and non-blocking views in Django?", "asgi"},
	{"what's the difference between allowing an empty form input and allowing an empty column in the table?", "null_blank"},
	{"where should profile pictures uploaded by people go compared to the stylesheets of the site?", "static_media"},
	{"two buyers purchase the last item at the same moment and the inventory count goes wrong; how do I decrement it safely?", "f_expressions"},
	{"how do I make sure that either all of several writes succeed or none of them are saved?", "transactions"},
	{"lookups on a column of a table with millions of records are sluggish; what can I add to the model?", "indexes"},
	{"a commenter managed to inject a script tag that executes for other readers; how do templates protect me?", "xss"},
	{"is it dangerous to build a raw query string by concatenating what the user typed?", "sql_injection"},
	{"how should I handle the secret key and passwords when deploying to a live server?", "settings"},
	{"how do I check my views work without starting the development server?", "testing"},
	{"how do I restrict a page so that only editors can change articles?", "permissions"},
	{"showing 50,000 products on one screen is too slow; how do I show them 20 at a time?", "pagination"},
	{"how do I get the count of replies for every thread in a single database call?", "aggregation"},
}

// tuneQueries were used to choose features, weights and the synonym table.
var tuneQueries = []evalQuery{
	{"why does my page fire one query per row when I print each book's author?", "n_plus_one"},
	{"how do I load many-to-many tags for a list of articles without hundreds of database hits?", "n_plus_one"},
	{"why do I get a 403 forbidden error when submitting a POST form without the token?", "csrf"},
	{"how does a JavaScript fetch call send the anti-forgery token to Django?", "csrf"},
	{"how can I run some code around every incoming request and outgoing response globally?", "middleware"},
	{"where would I put a component that adds a header to all responses?", "middleware"},
	{"how do I get notified after an object is deleted to clean up files?", "signals"},
	{"why didn't my post_save hook fire after a bulk update?", "signals"},
	{"I added a new field to a model, what commands change the database schema?", "migrations"},
	{"how do I convert existing data while changing the schema?", "migrations"},
	{"how do I store the result of a slow computation so the next visitor gets it fast?", "caching"},
	{"can I keep a rendered page in Redis or memcached for a few minutes?", "caching"},
	{"does calling filter() immediately run SQL against the db?", "queryset_laziness"},
	{"at what point is a queryset evaluated?", "queryset_laziness"},
	{"how do I add a phone number field to the account model of my users?", "custom_user"},
	{"why should I replace the default auth user at the beginning of a project?", "custom_user"},
	{"how do I run a job in the background or on a schedule every night?", "celery"},
	{"which tool processes tasks asynchronously with a message queue like RabbitMQ?", "celery"},
	{"what's the difference between the synchronous and asynchronous server gateway interfaces?", "asgi"},
	{"can I call the ORM from an async view?", "asgi"},
	{"should a CharField allow NULL or an empty string?", "null_blank"},
	{"how do I serve CSS and JS files in production?", "static_media"},
	{"how do I turn model objects into JSON for my REST API?", "drf_serializers"},
	{"how does DRF check incoming request data before saving?", "drf_serializers"},
	{"should I write views as plain functions or classes?", "fbv_cbv"},
	{"what generic views reduce repetitive code for listing and showing details?", "fbv_cbv"},
	{"where do I put validation that compares two fields of a form?", "forms"},
	{"how do I check user-submitted data and read the validated values?", "forms"},
	{"how does Django remember a visitor's shopping cart between requests?", "sessions"},
	{"how do I increment a counter in the database without reading it into Python first?", "f_expressions"},
	{"how do I roll back everything if an exception is raised halfway through?", "transactions"},
	{"how can I speed up searching a big table by a column?", "indexes"},
	{"is it safe to format variables into cursor.execute with an f-string?", "sql_injection"},
	{"how do I share common fields like created and updated timestamps across several models without extra tables?", "model_inheritance"},
	{"what is a proxy model?", "model_inheritance"},
	{"how do I capture an integer id from the address and pass it to a view?", "urls"},
	{"how do I generate a link to a named route instead of hard-coding the path?", "urls"},
	{"how do I customise which columns appear in the staff back office list?", "admin"},
	{"how do I block anonymous visitors from a view?", "permissions"},
	{"how do I filter records matching one condition or another?", "q_objects"},
}
