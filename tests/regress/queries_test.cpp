// SPDX-License-Identifier: MIT
#include <boost/test/unit_test.hpp>

#include "regress.h"

BOOST_AUTO_TEST_SUITE(regress_queries)

BOOST_AUTO_TEST_SUITE_END()
